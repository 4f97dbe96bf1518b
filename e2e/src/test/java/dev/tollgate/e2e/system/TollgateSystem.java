package dev.tollgate.e2e.system;

import dev.tollgate.api.common.Condition;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.rules.HostOwnership;
import dev.tollgate.rules.Tenancy;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.RepositoryFiles;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.redis.RedisServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tollgate assembled on a real API server and Redis: CRDs from {@code crds/generated}, the operator
 * in-process with its own client (watching one fresh namespace), a real upstream reachable as
 * {@value #UPSTREAM_HOST} through a hosts file, and gateways started from the jar. Resources are
 * applied with the real {@code kubectl}. Closing stops everything it started, in reverse order.
 */
final class TollgateSystem implements AutoCloseable {
  static final String GATEWAY_NAME = "e2e";

  /** The upstream's name in its FQDN EndpointSlice; only the gateways' hosts file knows it. */
  static final String UPSTREAM_HOST = "orders.upstream.test";

  private final KubeApiServer api;
  private final String redisUrl;
  private final List<String> namespaces;
  private final Path dir;
  private final Path hostsFile;
  private final Upstream upstream;
  private final KubernetesClient operatorClient;
  private final TollgateOperator operator;
  private final List<GatewayJar> gateways = new ArrayList<>();

  private TollgateSystem(
      KubeApiServer api,
      String redisUrl,
      List<String> namespaces,
      Path dir,
      Path hostsFile,
      Upstream upstream,
      KubernetesClient operatorClient,
      TollgateOperator operator) {
    this.api = api;
    this.redisUrl = redisUrl;
    this.namespaces = List.copyOf(namespaces);
    this.dir = dir;
    this.hostsFile = hostsFile;
    this.upstream = upstream;
    this.operatorClient = operatorClient;
    this.operator = operator;
  }

  /**
   * Installs the CRDs (idempotent), creates a namespace and starts upstream and operator; gateways
   * are added with {@link #startGateway}.
   *
   * @param feedbackInterval how often the operator reads the gateways' applied versions
   */
  static TollgateSystem start(KubeApiServer api, RedisServer redis, String feedbackInterval) {
    return start(api, redis.uri(), feedbackInterval, 1, false);
  }

  /**
   * @param redisUrl any {@code TOLLGATE_REDIS_URL}: a server, sentinels or cluster nodes
   * @param leaderElection run the operator with leader election on a Lease in the system's
   *     namespace, so its snapshot writes carry a real epoch (the fence)
   */
  static TollgateSystem start(
      KubeApiServer api, String redisUrl, String feedbackInterval, boolean leaderElection) {
    return start(api, redisUrl, feedbackInterval, 1, leaderElection);
  }

  /**
   * As {@link #start(KubeApiServer, RedisServer, String)}, with {@code teams} namespaces the
   * operator watches, one per team sharing the gateway instance.
   */
  static TollgateSystem start(
      KubeApiServer api, RedisServer redis, String feedbackInterval, int teams) {
    return start(api, redis.uri(), feedbackInterval, teams, false);
  }

  private static TollgateSystem start(
      KubeApiServer api,
      String redisUrl,
      String feedbackInterval,
      int teams,
      boolean leaderElection) {
    api.kubectl(null, "apply", "-f", RepositoryFiles.find("crds/generated").toString()).orThrow();
    api.kubectl(null, "wait", "--for=condition=Established", "--timeout=60s", "crd", "--all")
        .orThrow();
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < teams; i++) {
      namespaces.add(api.createNamespace("system"));
    }
    Path dir = TempDirs.create("tollgate-system-");
    Path hostsFile = dir.resolve("hosts");
    try {
      Files.writeString(
          hostsFile,
          "127.0.0.1 localhost\n127.0.0.1 " + UPSTREAM_HOST + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Upstream upstream = Upstream.start();
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                OperatorSettings.REDIS_URL,
                redisUrl,
                OperatorSettings.GATEWAY_NAME,
                GATEWAY_NAME,
                OperatorSettings.WATCH_NAMESPACES,
                String.join(",", namespaces),
                OperatorSettings.HTTP_HOST,
                "127.0.0.1",
                OperatorSettings.HTTP_PORT,
                "0",
                OperatorSettings.LEADER_ELECTION,
                Boolean.toString(leaderElection),
                OperatorSettings.FEEDBACK_INTERVAL,
                feedbackInterval));
    // Tenancy as a chart user whose teams share the instance by path would set it: the upstream
    // is an FQDN EndpointSlice (a name backend, closed by default), and the teams' Routes list
    // no hosts, so "any host" is shared; named hosts stay owned (TenantsSystemIT).
    env.put(Tenancy.EXTERNAL_BACKEND_NAMESPACES, String.join(",", namespaces));
    env.put(Tenancy.SHARED_HOSTS, HostOwnership.ANY_HOST);
    if (leaderElection) {
      env.put(OperatorSettings.LEASE_NAMESPACE, namespaces.getFirst());
      env.put(OperatorSettings.IDENTITY, "operator-0");
    }
    OperatorSettings settings = OperatorSettings.from(env);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(api.clientConfig()).build();
    TollgateOperator operator = TollgateOperator.start(settings, client, false);
    return new TollgateSystem(
        api, redisUrl, namespaces, dir, hostsFile, upstream, client, operator);
  }

  GatewayJar startGateway(String podId) {
    return startGateway(podId, "256m");
  }

  /** A gateway with {@code heap} as its {@code -Xmx}. */
  GatewayJar startGateway(String podId, String heap) {
    return startGateway(podId, heap, Map.of());
  }

  /**
   * @param env settings beyond the chart's (e.g. {@code TOLLGATE_LIMITER_TIMEOUT})
   */
  GatewayJar startGateway(String podId, Map<String, String> env) {
    return startGateway(podId, "256m", env);
  }

  private GatewayJar startGateway(String podId, String heap, Map<String, String> env) {
    GatewayJar gateway = GatewayJar.start(podId, redisUrl, GATEWAY_NAME, hostsFile, dir, heap, env);
    gateways.add(gateway);
    return gateway;
  }

  /** {@code system/failover.yaml}: one route per failure mode (see the file's header). */
  void applyFailoverRoutes(int exact, int openLimit) {
    apply(
        resource("system/failover.yaml")
            .replace("${UPSTREAM_HOST}", UPSTREAM_HOST)
            .replace("${UPSTREAM_PORT}", Integer.toString(upstream.port()))
            .replace("${EXACT}", Integer.toString(exact))
            .replace("${OPEN_LIMIT}", Integer.toString(openLimit)));
  }

  /** The operator's {@code /metrics} (Prometheus text). */
  String operatorMetrics() {
    return LoopbackHttp.get(operator.httpPort(), "/metrics").body();
  }

  /** A client of the API server, for bulk set-up that {@code kubectl} would make slow. */
  KubernetesClient client() {
    return api.client();
  }

  /** {@code system/orders.yaml} with the given limit, applied with {@code kubectl apply -f -}. */
  void applyOrders(int limit) {
    apply(
        resource("system/orders.yaml")
            .replace("${UPSTREAM_HOST}", UPSTREAM_HOST)
            .replace("${UPSTREAM_PORT}", Integer.toString(upstream.port()))
            .replace("${LIMIT}", Integer.toString(limit)));
  }

  /** Only the RateLimitPolicy of {@code system/orders.yaml}, with a new limit. */
  void applyLimit(int limit) {
    String yaml = resource("system/orders.yaml");
    apply(
        yaml.substring(yaml.indexOf("apiVersion: tollgate.dev/v1alpha1\nkind: RateLimitPolicy"))
            .replace("${LIMIT}", Integer.toString(limit)));
  }

  void apply(String yaml) {
    apply(namespace(), yaml);
  }

  /** {@code kubectl apply -f -} of {@code yaml} into {@code namespace}. */
  void apply(String namespace, String yaml) {
    api.kubectl(yaml, "-n", namespace, "apply", "-f", "-").orThrow();
  }

  /** {@code kubectl delete <kind> <name>} in the system's namespace. */
  void delete(String kind, String name) {
    delete(namespace(), kind, name);
  }

  void delete(String namespace, String kind, String name) {
    api.kubectl(null, "-n", namespace, "delete", kind, name).orThrow();
  }

  /**
   * A Service {@code backend} in {@code namespace} whose FQDN EndpointSlice leads to the upstream
   * (the first documents of {@code system/orders.yaml}, renamed).
   */
  void applyBackendService(String namespace) {
    String yaml = resource("system/orders.yaml");
    apply(
        namespace,
        yaml.substring(0, yaml.indexOf("---\napiVersion: tollgate.dev/v1alpha1"))
            .replace("name: orders", "name: backend")
            .replace("kubernetes.io/service-name: orders", "kubernetes.io/service-name: backend")
            .replace("${UPSTREAM_HOST}", UPSTREAM_HOST)
            .replace("${UPSTREAM_PORT}", Integer.toString(upstream.port())));
  }

  Optional<Condition> routeCondition(String name, String type) {
    return routeCondition(namespace(), name, type);
  }

  Optional<Condition> routeCondition(String namespace, String name, String type) {
    return condition(
        api.client().resources(Route.class).inNamespace(namespace).withName(name).get(), type);
  }

  Optional<Condition> policyCondition(String name, String type) {
    return policyCondition(namespace(), name, type);
  }

  Optional<Condition> policyCondition(String namespace, String name, String type) {
    return condition(policy(namespace, name), type);
  }

  /** The policy as the API server has it now; null when there is none. */
  RateLimitPolicy policy(String namespace, String name) {
    return api.client()
        .resources(RateLimitPolicy.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  /** What {@code kubectl get} prints for the resource, for failure messages. */
  String describe(String kindAndName) {
    return api.kubectl(null, "-n", namespace(), "get", kindAndName, "-o", "yaml").output();
  }

  Upstream upstream() {
    return upstream;
  }

  String namespace() {
    return namespaces.getFirst();
  }

  /** Every namespace the operator watches, one per team. */
  List<String> namespaces() {
    return namespaces;
  }

  @Override
  public void close() {
    gateways.forEach(GatewayJar::close);
    operator.close();
    operatorClient.close();
    upstream.close();
    TempDirs.deleteRecursively(dir);
  }

  private static Optional<Condition> condition(HasMetadata resource, String type) {
    List<Condition> conditions =
        switch (resource) {
          case Route route when route.getStatus() != null -> route.getStatus().getConditions();
          case RateLimitPolicy policy when policy.getStatus() != null ->
              policy.getStatus().getConditions();
          case null, default -> List.of();
        };
    return Optional.ofNullable(conditions).orElse(List.of()).stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  private static String resource(String name) {
    try (InputStream in = TollgateSystem.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
