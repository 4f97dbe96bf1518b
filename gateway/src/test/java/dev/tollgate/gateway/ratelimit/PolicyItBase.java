package dev.tollgate.gateway.ratelimit;

import dev.tollgate.gateway.auth.TestKeys;
import dev.tollgate.gateway.auth.TestKeys.SigningKey;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the policy ITs share: one real redis-server (flushed before each test), a real upstream, a
 * signing key published in a JWKS file, and gateways wired like {@code GatewayMain} that are closed
 * after each test.
 */
abstract class PolicyItBase {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  static final SigningKey KEY = TestKeys.rsa("it-key");
  static Path jwksDir;
  static TestUpstream upstream;
  private final List<PolicyGateway> gateways = new ArrayList<>();

  @BeforeAll
  static void startUpstreamAndKeys() throws Exception {
    upstream = TestUpstream.echo("orders");
    jwksDir = TempDirs.create("tollgate-jwks");
    Files.writeString(jwksDir.resolve("jwks.json"), TestKeys.jwks(KEY));
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
    TempDirs.deleteRecursively(jwksDir);
  }

  @AfterEach
  void stopGateways() {
    gateways.forEach(PolicyGateway::close);
  }

  Map<String, String> settings(String... extra) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("TOLLGATE_REDIS_URL", REDIS.uri());
    settings.put("TOLLGATE_GATEWAY_NAME", "it");
    // These tests check what Redis decides, so no decision may fall back to a failure mode: a
    // burst of 500 on two shared cores, or a cold start, takes longer than the 50ms default.
    // FailureModesIT covers the budget.
    settings.put("TOLLGATE_LIMITER_TIMEOUT", "5s");
    settings.put("TOLLGATE_JWT_ISSUER", TestKeys.ISSUER);
    settings.put("TOLLGATE_JWT_AUDIENCE", TestKeys.AUDIENCE);
    settings.put("TOLLGATE_JWT_JWKS_FILE", jwksDir.resolve("jwks.json").toString());
    for (int i = 0; i < extra.length; i += 2) {
      settings.put(extra[i], extra[i + 1]);
    }
    return settings;
  }

  PolicyGateway gateway(String yaml, String... extra) {
    PolicyGateway gateway = PolicyGateway.start(yaml, settings(extra));
    gateways.add(gateway);
    return gateway;
  }

  /** A gateway with given tracing and access recording, closed after the test. */
  PolicyGateway gateway(String yaml, dev.tollgate.gateway.Observability observability) {
    PolicyGateway gateway = PolicyGateway.start(yaml, settings(), observability);
    gateways.add(gateway);
    return gateway;
  }

  /** A second gateway on {@code first}'s config directory, closed after the test too. */
  PolicyGateway replicaOf(PolicyGateway first) {
    PolicyGateway replica = first.replica(settings());
    gateways.add(replica);
    return replica;
  }

  static String bearer(String subject, String plan) {
    return "Bearer " + TestKeys.token(KEY, subject, c -> c.addPayloadClaim("plan", plan));
  }

  /** The sum of {@code tollgate_ratelimit_decisions_total} samples carrying all {@code labels}. */
  static double metricValue(String prometheusText, String... labels) {
    return prometheusText
        .lines()
        .filter(l -> l.startsWith("tollgate_ratelimit_decisions_total{"))
        .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
