package dev.tollgate.testkit.kube;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.TempDirs;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A real kube-apiserver backed by a real etcd, started through fabric8 kube-api-test, serving on
 * loopback with RBAC enabled. The client it hands out is cluster-admin; {@link #kubectl} runs the
 * real {@code kubectl} against it with a kubeconfig in a temp file (the user's own {@code
 * ~/.kube/config} is never touched).
 *
 * <p>A bare API server runs no controllers: no EndpointSlices appear for Services, deleted
 * namespaces stay {@code Terminating}, nothing is garbage-collected. Tests therefore create
 * EndpointSlices themselves and use a fresh namespace each ({@link #createNamespace}).
 */
public final class KubeApiServer implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

  /**
   * How long before midnight a start may not begin: kube-api-test 7.5 ends its readiness waits at
   * {@code LocalTime} start + timeout, which wraps at midnight, so a wait begun within the timeout
   * before midnight sees its end as passed and fails at its first poll ("Kube API Server did not
   * start properly" 36 ms after the start, at 23:58:23). Etcd's wait comes first and the API
   * server's begins when etcd is ready: the timeout, and a margin for etcd.
   */
  private static final Duration MIDNIGHT_WINDOW = STARTUP_TIMEOUT.plusSeconds(30);

  private final KubeAPIServer server;
  private final Path dir;
  private Path kubeConfigFile;
  private KubernetesClient client;

  private KubeApiServer(KubeAPIServer server) {
    this.server = server;
    this.dir = TempDirs.create("tollgate-kube-");
  }

  public static KubeApiServer start() {
    KubeApiServer api =
        new KubeApiServer(
            startedWithOneRetry(
                () -> {
                  sleep(waitBeforeStart(LocalTime.now(), MIDNIGHT_WINDOW));
                  return new KubeAPIServer(config());
                },
                KubeAPIServer::start,
                KubeAPIServer::stop));
    api.kubeConfigFile = api.writeKubeConfig();
    api.client = new KubernetesClientBuilder().withConfig(api.clientConfig()).build();
    return api;
  }

  /**
   * Starts what {@code create} makes, and once more with a fresh one if that start fails. A start
   * fails now and then when other test processes run beside it (kube-api-test picks free ports
   * before etcd and the API server bind them, and the API server has been seen to stop at once); a
   * fresh server gets fresh ports. A failed one is stopped (its processes, etcd's data) before the
   * next is made.
   */
  static <S> S startedWithOneRetry(Supplier<S> create, Consumer<S> start, Consumer<S> stop) {
    RuntimeException earlier = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      S server = create.get();
      try {
        start.accept(server);
        return server;
      } catch (RuntimeException failed) {
        try {
          stop.accept(server);
        } catch (RuntimeException e) {
          failed.addSuppressed(e);
        }
        if (earlier != null) {
          failed.addSuppressed(earlier);
        }
        earlier = failed;
      }
    }
    throw earlier;
  }

  private static io.fabric8.kubeapitest.KubeAPIServerConfig config() {
    return KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withUpdateKubeConfig(false)
        .withApiServerFlag("--bind-address", "127.0.0.1")
        // Binaries laid out locally (tools/provision.sh) are used as they are; only a machine
        // without them lets kube-api-test download a release.
        .withOfflineMode(KubeBinaries.presentLocally())
        .withStartupTimeout(Math.toIntExact(STARTUP_TIMEOUT.toMillis()))
        .build();
  }

  /** Zero, or until just after midnight when {@code now} is less than {@code window} before it. */
  static Duration waitBeforeStart(LocalTime now, Duration window) {
    Duration untilMidnight = Duration.between(now, LocalTime.MAX).plusNanos(1);
    return untilMidnight.compareTo(window) < 0 ? untilMidnight.plusSeconds(1) : Duration.ZERO;
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to start the API server", e);
    }
  }

  /** A cluster-admin client; closed with the server. */
  public KubernetesClient client() {
    return client;
  }

  /** Client configuration for code under test that builds its own client (e.g. an operator). */
  public Config clientConfig() {
    return Config.fromKubeconfig(server.getKubeConfigYaml());
  }

  public String kubeConfigYaml() {
    return server.getKubeConfigYaml();
  }

  public Path kubeConfigFile() {
    return kubeConfigFile;
  }

  /** Creates a namespace with a unique name starting with {@code prefix} and returns its name. */
  public String createNamespace(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  /** Runs the real {@code kubectl} against this server; {@code stdin} may be null. */
  public ExternalCommand.Result kubectl(String stdin, String... args) {
    return Kubectl.run(kubeConfigFile, Duration.ofSeconds(60), stdin, args);
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    server.stop();
    TempDirs.deleteRecursively(dir);
  }

  private Path writeKubeConfig() {
    try {
      return Files.writeString(dir.resolve("kubeconfig.yaml"), server.getKubeConfigYaml());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kubeconfig", e);
    }
  }
}
