package dev.tollgate.operator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Tenancy;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.redis.RedisServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the real operator in-process against a real API server and Redis, each instance with its own
 * Kubernetes client (as separate pods would have), and reads back what it wrote.
 */
public final class OperatorFixture {
  /** The checked-in CRDs, exactly what Helm installs. */
  public static final Path CRDS = Path.of("..", "crds", "generated");

  /** The Redis keys of the gateway instance every fixture operator writes for. */
  public static final ConfigKeys KEYS = new ConfigKeys("default");

  private OperatorFixture() {}

  public static void installCrds(KubeApiServer api) {
    api.kubectl(null, "apply", "-f", CRDS.toString()).orThrow();
    api.kubectl(
            null,
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/routes.tollgate.dev",
            "crd/ratelimitpolicies.tollgate.dev")
        .orThrow();
  }

  /** Settings for a test operator: loopback, free port, short timings, one namespace. */
  public static Map<String, String> settings(RedisServer redis, String namespace) {
    Map<String, String> env = new HashMap<>();
    env.put(OperatorSettings.REDIS_URL, redis.uri());
    env.put(OperatorSettings.GATEWAY_NAME, KEYS.gateway());
    env.put(OperatorSettings.WATCH_NAMESPACES, namespace);
    env.put(OperatorSettings.HTTP_HOST, "127.0.0.1");
    env.put(OperatorSettings.HTTP_PORT, "0");
    env.put(OperatorSettings.LEADER_ELECTION, "false");
    env.put(OperatorSettings.FEEDBACK_INTERVAL, "300ms");
    // These tests are about syncing, not tenancy (TenancyIT): let every namespace use static and
    // name backends, which stand in for pods a bare API server cannot run.
    env.put(Tenancy.EXTERNAL_BACKEND_NAMESPACES, "*");
    return env;
  }

  /**
   * Turns on leader election with a Lease in {@code namespace} and short timings (3 s lease, 2 s
   * renew deadline, 500 ms retry), so a takeover or a lost lease shows within seconds.
   */
  public static Map<String, String> withShortLease(
      Map<String, String> env, String namespace, String identity) {
    env.put(OperatorSettings.LEADER_ELECTION, "true");
    env.put(OperatorSettings.LEASE_NAMESPACE, namespace);
    env.put(OperatorSettings.IDENTITY, identity);
    env.put(OperatorSettings.LEASE_DURATION, "3s");
    env.put(OperatorSettings.RENEW_DEADLINE, "2s");
    env.put(OperatorSettings.RETRY_PERIOD, "500ms");
    return env;
  }

  public static Running start(KubeApiServer api, Map<String, String> env) {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(api.clientConfig()).build();
    return new Running(TollgateOperator.start(OperatorSettings.from(env), client, false), client);
  }

  /** An operator instance and its own client; closing stops both. */
  public record Running(TollgateOperator operator, KubernetesClient client)
      implements AutoCloseable {
    /** GET on the operator's own HTTP port. */
    public HttpResponse<String> get(String path) {
      try (HttpClient http = HttpClient.newHttpClient()) {
        return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** A sample's value from /metrics, e.g. {@code tollgate_operator_leader}; 0 when absent. */
    public double metric(String sample) {
      return get("/metrics")
          .body()
          .lines()
          .filter(l -> l.startsWith(sample + " "))
          .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1).strip()))
          .findFirst()
          .orElse(0);
    }

    @Override
    public void close() {
      operator.close();
      client.close();
    }
  }

  /**
   * The configuration in Redis as one JSON document {@code {version, routes: [...], policies:
   * [...]}} (each kind by namespace and name), put together from the per-resource entries; a
   * missing node (every path missing) when there is none.
   */
  public static JsonNode snapshot(RedisServer redis) {
    try (RedisConnection<String, String> connection =
        RedisConnection.open(
            RedisTarget.parse(redis.uri()), LettuceOptions.control(), StringCodec.UTF8)) {
      String version = connection.sync().get(KEYS.version());
      if (version == null) {
        return MissingNode.getInstance();
      }
      Comparator<ResourceId> byNamespaceAndName =
          Comparator.comparing(ResourceId::namespace).thenComparing(ResourceId::name);
      Map<ResourceId, String> routes = new TreeMap<>(byNamespaceAndName);
      Map<ResourceId, String> policies = new TreeMap<>(byNamespaceAndName);
      connection
          .sync()
          .hgetall(KEYS.entries())
          .forEach(
              (field, json) ->
                  ResourceId.fromKey(field)
                      .ifPresent(
                          id ->
                              (id.kind() == ResourceId.Kind.ROUTE ? routes : policies)
                                  .put(id, json)));
      ObjectNode root = ApiJson.mapper().createObjectNode();
      root.put("version", Long.parseLong(version));
      ArrayNode routeArray = root.putArray("routes");
      ArrayNode policyArray = root.putArray("policies");
      for (String json : routes.values()) {
        routeArray.add(ApiJson.mapper().readTree(json));
      }
      for (String json : policies.values()) {
        policyArray.add(ApiJson.mapper().readTree(json));
      }
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reports as gateway pod {@code pod} would, with the gateways' own script: the version it serves,
   * for {@code ttl}, the resources it left out ({@code <Kind>/<ns>/<name>\t<reason>} lines) and the
   * leader epoch of that version.
   */
  public static void gatewayReports(
      RedisServer redis,
      ConfigKeys keys,
      String pod,
      long version,
      Duration ttl,
      String rejected,
      long epoch) {
    redis.cli(
        "EVAL",
        ConfigScripts.REPORT_APPLIED_VERSION,
        "1",
        keys.gateways(),
        pod,
        Long.toString(version),
        Long.toString(ttl.toMillis()),
        rejected,
        Long.toString(epoch));
  }

  public static long version(RedisServer redis) {
    String value = redis.cli("GET", KEYS.version());
    return value.isEmpty() ? 0 : Long.parseLong(value);
  }

  /** {@code kubectl -n <namespace> get <args>}: its output, failing on a non-zero exit. */
  public static String get(KubeApiServer api, String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of("-n", namespace, "get"));
    command.addAll(List.of(args));
    return api.kubectl(null, command.toArray(String[]::new)).orThrow().output();
  }

  /** The reasons of the Events recorded in a namespace, space-separated. */
  public static String eventReasons(KubeApiServer api, String namespace) {
    return get(api, namespace, "events", "-o", "jsonpath={.items[*].reason}");
  }

  /** Applies YAML through the real kubectl. */
  public static void apply(KubeApiServer api, String namespace, String yaml) {
    api.kubectl(yaml, "-n", namespace, "apply", "-f", "-").orThrow();
  }

  /** Only the RateLimitPolicy document of a manifest (the last one in orders.yaml). */
  public static String policyOnly(String yaml) {
    return yaml.substring(yaml.indexOf("apiVersion: tollgate.dev/v1alpha1\nkind: RateLimitPolicy"));
  }

  public static String resource(String name) {
    try (var in = OperatorFixture.class.getResourceAsStream("/manifests/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Duration patience() {
    return Duration.ofSeconds(30);
  }
}
