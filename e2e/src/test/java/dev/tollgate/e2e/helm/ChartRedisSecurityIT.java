package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.analytics.AnalyticsService;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.gateway.GatewayMain;
import dev.tollgate.gateway.GatewaySettings;
import dev.tollgate.operator.feedback.GatewayFeedback;
import dev.tollgate.operator.snapshot.SnapshotEntry;
import dev.tollgate.operator.snapshot.SnapshotWriter;
import dev.tollgate.operator.snapshot.WriteResult;
import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisSettings;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bundled Redis is closed by default: ACL users with generated passwords, protected mode, and a
 * NetworkPolicy that lets only the gateways and the operator in. The rendered ACL file is loaded
 * into a real {@code redis-server}, and the real operator and gateway code log in with the rendered
 * credentials: each can do its job, the gateway cannot change the configuration, an unauthenticated
 * client can do nothing.
 *
 * <p>Whether a NetworkPolicy is enforced depends on the cluster's network plugin; the single-node
 * cluster these tests can build here has a plain bridge that does not enforce it, so the policy is
 * checked as rendered, not by a blocked connection.
 */
class ChartRedisSecurityIT {
  private static final String RELEASE = "tg";
  private static final RenderedManifest MANIFEST = TollgateChart.render(RELEASE).manifest();
  private static final ConfigKeys KEYS = new ConfigKeys(RELEASE);

  private static String secret(String key) {
    Secret secret = MANIFEST.get(Secret.class, "tg-tollgate-redis");
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static Container container(String deployment) {
    return MANIFEST.container(deployment);
  }

  /**
   * The ACL file as the Redis container writes it at start: the rules rendered into its start
   * script, with the passwords its environment takes from the Secret.
   */
  private static String aclFile() {
    StringBuilder file = new StringBuilder();
    for (String line : String.join("\n", container("tg-tollgate-redis").getCommand()).split("\n")) {
      if (line.startsWith("user ")) {
        file.append(
                line.replace("${GATEWAY_PASSWORD}", secret("gateway-password"))
                    .replace("${OPERATOR_PASSWORD}", secret("operator-password"))
                    .replace("${ANALYTICS_PASSWORD}", secret("analytics-password"))
                    .replace("${PROBE_PASSWORD}", secret("probe-password")))
            .append('\n');
      }
    }
    return file.toString();
  }

  @Test
  void defaultValuesRenderRedisWithAclUsersAndProtectedMode() {
    Container redis = container("tg-tollgate-redis");
    String start = String.join(" ", redis.getCommand());

    assertThat(start)
        .contains("--protected-mode yes")
        .contains("--aclfile /tmp/users.acl")
        .contains("user default off")
        .doesNotContain("requirepass", "nopass");
    assertThat(aclFile().lines())
        .extracting(line -> line.split(" ")[1] + " " + line.split(" ")[2])
        .containsExactly("default off", "probe on", "operator on", "gateway on", "analytics on");
    assertThat(secret("gateway-password")).hasSize(32).isNotEqualTo(secret("operator-password"));
    assertThat(MANIFEST.yaml())
        .as("no password in any rendered pod spec")
        .doesNotContain(secret("gateway-password"));
    assertThat(ContainerEnv.variable(redis, "GATEWAY_PASSWORD").getValueFrom().getSecretKeyRef())
        .satisfies(ref -> assertThat(ref.getName()).isEqualTo("tg-tollgate-redis"));
    assertThat(redis.getReadinessProbe().getExec().getCommand()).contains("--user", "probe");
  }

  /**
   * Where the chart is only rendered (Argo CD), users create the Secret as docs/install.md shows; a
   * key it leaves out keeps the pod that reads it from starting.
   */
  @Test
  void theSecretDocumentedForRenderedChartsHoldsEveryPasswordThePodsRead() throws IOException {
    RenderedManifest manifest =
        TollgateChart.render(RELEASE).withValues("bundled-redis-existing-secret").manifest();
    Set<String> read =
        manifest.all(Deployment.class).stream()
            .flatMap(
                deployment -> deployment.getSpec().getTemplate().getSpec().getContainers().stream())
            .flatMap(container -> container.getEnv().stream())
            .map(EnvVar::getValueFrom)
            .filter(Objects::nonNull)
            .map(EnvVarSource::getSecretKeyRef)
            .filter(ref -> ref != null && ref.getName().equals("tollgate-redis-users"))
            .map(SecretKeySelector::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    String installGuide = Files.readString(RepositoryPaths.root().resolve("docs/install.md"));
    int command = installGuide.indexOf("create secret generic tollgate-redis-users");
    assertThat(command).as("the Secret's kubectl command in docs/install.md").isNotNegative();
    String block = installGuide.substring(command, installGuide.indexOf("```", command));
    Set<String> documented =
        Pattern.compile("--from-literal=([a-z-]+)=")
            .matcher(block)
            .results()
            .map(match -> match.group(1))
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(read).contains("analytics-password", "gateway-password", "operator-password");
    assertThat(documented).isEqualTo(read);
  }

  @Test
  void eachComponentLogsInAsItsOwnUserWithItsPasswordFromTheSecret() {
    for (String[] component :
        List.of(
            new String[] {"tg-tollgate-gateway", "gateway"},
            new String[] {"tg-tollgate-operator", "operator"},
            new String[] {"tg-tollgate-analytics", "analytics"})) {
      Container container = container(component[0]);
      EnvVar password = ContainerEnv.variable(container, "TOLLGATE_REDIS_PASSWORD");

      assertThat(ContainerEnv.plain(container))
          .containsEntry("TOLLGATE_REDIS_USERNAME", component[1])
          .containsEntry("TOLLGATE_REDIS_URL", "redis://tg-tollgate-redis:6379");
      assertThat(password.getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("tg-tollgate-redis");
      assertThat(password.getValueFrom().getSecretKeyRef().getKey())
          .isEqualTo(component[1] + "-password");
    }
  }

  @Test
  void aNetworkPolicyLetsOnlyTheGatewaysTheOperatorAndTheAnalyticsServiceReachRedis() {
    NetworkPolicy policy = MANIFEST.get(NetworkPolicy.class, "tg-tollgate-redis");

    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "redis");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(port -> assertThat(port.getPort().getStrVal()).isEqualTo("redis"));
              assertThat(rule.getFrom())
                  .extracting(NetworkPolicyPeer::getPodSelector)
                  .extracting(
                      selector -> selector.getMatchLabels().get("app.kubernetes.io/component"))
                  .containsExactlyInAnyOrder("gateway", "operator", "analytics");
              assertThat(rule.getFrom())
                  .allSatisfy(peer -> assertThat(peer.getNamespaceSelector()).isNull());
            });
  }

  @Test
  void theRenderedCredentialsWorkWithTheRenderedAclOnARealRedis() throws Exception {
    Path dir = TempDirs.create("tollgate-acl");
    Files.writeString(dir.resolve("users.acl"), aclFile());
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", ChartRedisSecurityIT::answerOk);
    upstream.start();
    try (RedisServer redis =
            RedisServer.start(List.of("--aclfile", dir.resolve("users.acl").toString()));
        RedisConnection<String, String> operator = operatorConnection(redis.uri())) {
      // the operator writes the config with its own code and scripts
      String upstreamUrl = "http://127.0.0.1:" + upstream.getAddress().getPort();
      WriteResult written =
          new SnapshotWriter(operator.sync(), KEYS, () -> 0).write(entries(upstreamUrl), 0);
      assertThat(written.outcome()).isEqualTo(WriteResult.Outcome.WRITTEN);

      // a gateway as the jar runs it: reads the config, reports, decides limits in Redis
      try (GatewayMain.Running gateway = gateway(redis.uri())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.gateway().config().isLoaded());
        HttpResponse<String> response = LoopbackHttp.get(gateway.gateway().port(), "/api/x");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("RateLimit"))
            .as("decided by the Redis limiter as the gateway user")
            .hasValueSatisfying(v -> assertThat(v).startsWith("\"per-ip\";r=4"));
        // the rest of the 5 an hour, and one refused: a limited client for the report below
        for (int i = 0; i < 4; i++) {
          assertThat(LoopbackHttp.get(gateway.gateway().port(), "/api/x").statusCode())
              .isEqualTo(200);
        }
        assertThat(LoopbackHttp.get(gateway.gateway().port(), "/api/x").statusCode())
            .isEqualTo(429);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    new GatewayFeedback(operator.sync(), KEYS)
                        .read()
                        .servedVersions()
                        .contains(written.version()));
      }

      // the analytics service, as its own user, reads the access stream the gateway wrote, and
      // its report names the limited client (read with ZUNION)
      try (AnalyticsService analytics = AnalyticsService.start(analyticsSettings(redis.uri()))) {
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  HttpResponse<String> report =
                      LoopbackHttp.get(analytics.adminPort(), "/analytics/report?window=1h");
                  assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
                  assertThat(report.body())
                      .containsPattern("\"totals\"\\s*:\\s*\\{\\s*\"requests\"\\s*:\\s*6\\b")
                      .containsPattern("\"limitedClients\"\\s*:\\s*\\[\\s*\\{");
                });
      }
      try (Session asAnalytics = Session.open(redis, "analytics", secret("analytics-password"))) {
        assertThatThrownBy(() -> asAnalytics.redis().get(KEYS.version()))
            .as("the analytics user cannot read the configuration")
            .hasMessageContaining("NOPERM");
      }

      try (Session asGateway = Session.open(redis, "gateway", secret("gateway-password"))) {
        String route = ResourceId.route("shop", "api").key();
        assertThat(asGateway.redis().hget(KEYS.entries(), route)).contains("\"pathPrefix\"");
        assertThatThrownBy(() -> asGateway.redis().hset(KEYS.entries(), route, "{}"))
            .hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> asGateway.redis().set(KEYS.version(), "999"))
            .hasMessageContaining("NOPERM");
        long stored = written.version();
        assertThatThrownBy(
                () ->
                    asGateway
                        .redis()
                        .eval(
                            ConfigScripts.WRITE_CONFIG,
                            ScriptOutputType.MULTI,
                            KEYS.writeScriptKeys(),
                            Long.toString(stored),
                            Long.toString(stored + 1),
                            "9999999999999",
                            KEYS.channel(),
                            "diff",
                            "",
                            "100",
                            "1000",
                            route,
                            "{}"))
            .as("a script runs with the caller's permissions")
            .hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> asGateway.redis().flushall()).hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> asGateway.redis().scriptFlush()).hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> asGateway.redis().keys("*")).hasMessageContaining("NOPERM");
      }
      try (Session asProbe = Session.open(redis, "probe", secret("probe-password"))) {
        assertThat(asProbe.redis().ping()).isEqualTo("PONG");
        assertThatThrownBy(() -> asProbe.redis().get(KEYS.version()))
            .hasMessageContaining("NOPERM");
      }
      assertThatThrownBy(() -> Session.open(redis, "gateway", "wrong"))
          .rootCause()
          .hasMessageContaining("WRONGPASS");
      assertThatThrownBy(
              () -> {
                RedisClient anonymous = RedisClient.create(redis.uri());
                try (var connection = anonymous.connect()) {
                  connection.sync().get(KEYS.version());
                } finally {
                  anonymous.shutdown();
                }
              })
          .as("an unauthenticated client")
          .rootCause()
          .hasMessageContaining("NOAUTH");
    } finally {
      upstream.stop(0);
      TempDirs.deleteRecursively(dir);
    }
  }

  /** The operator's connection, as the operator opens it from its rendered environment. */
  private static RedisConnection<String, String> operatorConnection(String redisUri) {
    RedisSettings settings =
        RedisSettings.from(
                Map.of(
                        RedisSettings.URL,
                        redisUri,
                        RedisSettings.USERNAME,
                        "operator",
                        RedisSettings.PASSWORD,
                        secret("operator-password"),
                        RedisSettings.GATEWAY_NAME,
                        RELEASE)
                    ::get)
            .orElseThrow();
    return RedisConnection.open(
        settings.target(), LettuceOptions.control(), io.lettuce.core.codec.StringCodec.UTF8);
  }

  private static GatewayMain.Running gateway(String redisUri) {
    return GatewayMain.start(
        GatewaySettings.from(
            Map.of(
                "TOLLGATE_BIND_ADDRESS", "127.0.0.1",
                "TOLLGATE_PORT", "0",
                "TOLLGATE_ADMIN_PORT", "0",
                "TOLLGATE_REDIS_URL", redisUri,
                "TOLLGATE_REDIS_USERNAME", "gateway",
                "TOLLGATE_REDIS_PASSWORD", secret("gateway-password"),
                "TOLLGATE_GATEWAY_NAME", RELEASE,
                "TOLLGATE_LIMITER_TIMEOUT", "5s",
                "TOLLGATE_ACCESS_STREAM", "on",
                "TOLLGATE_DRAIN_TIMEOUT", "2s")),
        Map.of("HOSTNAME", "tg-gateway-0"));
  }

  private static AnalyticsSettings analyticsSettings(String redisUri) {
    return AnalyticsSettings.from(
        Map.of(
            RedisSettings.URL,
            redisUri,
            RedisSettings.USERNAME,
            "analytics",
            RedisSettings.PASSWORD,
            secret("analytics-password"),
            RedisSettings.GATEWAY_NAME,
            RELEASE,
            "TOLLGATE_BIND_ADDRESS",
            "127.0.0.1",
            "TOLLGATE_ADMIN_PORT",
            "0"),
        List.of());
  }

  /** One route to {@code upstream} with a limit of 5 per hour per client IP, as entries. */
  private static Map<ResourceId, SnapshotEntry> entries(String upstream) {
    String route =
        """
        {"namespace":"shop","name":"api",
         "spec":{"match":{"pathPrefix":"/api"},"backend":{"endpoints":["%s"]}},
         "endpoints":["%s"]}
        """
            .formatted(upstream, upstream);
    String policy =
        """
        {"namespace":"shop","name":"per-ip",
         "spec":{"targetRefs":[{"kind":"Route","name":"api"}],
                 "limits":[{"name":"per-ip","rate":{"requests":5,"period":"1h"},
                            "key":[{"clientIP":true}]}]}}
        """;
    return Map.of(
        ResourceId.route("shop", "api"), new SnapshotEntry(route, "api-uid", 1),
        ResourceId.policy("shop", "per-ip"), new SnapshotEntry(policy, "per-ip-uid", 1));
  }

  private static void answerOk(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** A plain Lettuce connection as one ACL user. */
  private record Session(RedisClient client, StatefulRedisConnection<String, String> connection)
      implements AutoCloseable {
    static Session open(RedisServer redis, String user, String password) {
      RedisClient client =
          RedisClient.create(
              RedisURI.builder()
                  .withHost(redis.host())
                  .withPort(redis.port())
                  .withAuthentication(user, password)
                  .withTimeout(Duration.ofSeconds(5))
                  .build());
      try {
        return new Session(client, client.connect());
      } catch (RuntimeException e) {
        client.shutdown();
        throw e;
      }
    }

    RedisCommands<String, String> redis() {
      return connection.sync();
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
