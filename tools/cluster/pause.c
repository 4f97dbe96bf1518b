/*
 * The pod sandbox ("pause") process of the test cluster (tools/cluster.sh): it holds a pod's
 * namespaces while the pod lives and exits at once on SIGTERM or SIGINT, so a pod stops without
 * waiting out a kill timeout. As PID 1 of a pod that shares its process namespace it also reaps
 * orphaned children. Built static (gcc -static) so its image needs no libc.
 */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signal_number) {
  (void)signal_number;
  _exit(0);
}

static void reap(int signal_number) {
  (void)signal_number;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction on_stop = {.sa_handler = stop};
  sigaction(SIGINT, &on_stop, NULL);
  sigaction(SIGTERM, &on_stop, NULL);
  struct sigaction on_child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP | SA_RESTART};
  sigaction(SIGCHLD, &on_child, NULL);
  for (;;) {
    pause();
  }
}
