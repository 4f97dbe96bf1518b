package dev.tollgate.e2e.system;

import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * When the API server told watchers about each quota of the benchmark's policy: the moment the
 * operator could first know of a change, so the operator's own share of the latency can be told
 * apart from {@code kubectl}'s.
 */
final class PolicyWatch implements AutoCloseable {
  private final Map<Integer, Long> seenAt = new ConcurrentHashMap<>();
  private final Watch watch;

  PolicyWatch(KubernetesClient client, String namespace) {
    this.watch =
        client
            .resources(RateLimitPolicy.class)
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, RateLimitPolicy policy) {
                    long now = System.nanoTime();
                    policy.getSpec().getLimits().stream()
                        .findFirst()
                        .ifPresent(l -> seenAt.putIfAbsent(l.getRate().getRequests(), now));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  /** When the watch event carrying {@code quota} arrived (nanoTime). */
  long awaitSeen(int quota, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!seenAt.containsKey(quota)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no watch event for quota " + quota + " in " + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(1);
    }
    return seenAt.get(quota);
  }

  @Override
  public void close() {
    watch.close();
  }
}
