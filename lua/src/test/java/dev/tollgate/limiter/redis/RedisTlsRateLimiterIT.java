package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code rediss://} URL reaches a real TLS-only port of redis-server, verifying the server's
 * certificate (issued here by a throw-away CA that the JVM trust store is pointed at).
 */
class RedisTlsRateLimiterIT {
  private static final Duration COMMAND = Duration.ofSeconds(30);

  @Test
  void decidesOverTls() throws IOException {
    Path dir = TempDirs.create("tollgate-tls-");
    String previousTrustStore = System.getProperty("javax.net.ssl.trustStore");
    int tlsPort = FreePort.pick();
    try {
      issueCertificates(dir);
      System.setProperty("javax.net.ssl.trustStore", dir.resolve("trust.p12").toString());
      System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
      try (RedisServer redis =
              RedisServer.start(
                  List.of(
                      "--tls-port", "" + tlsPort,
                      "--tls-cert-file", dir.resolve("server.crt").toString(),
                      "--tls-key-file", dir.resolve("server.key").toString(),
                      "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
                      "--tls-auth-clients", "no"));
          RateLimiter limiter =
              RedisLimiterFactory.create(
                  "rediss://127.0.0.1:" + tlsPort,
                  RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofSeconds(5)))) {
        LimitCheck check =
            new LimitCheck(
                LimitDefinition.of(
                    new LimitId("shop", "orders", "per-user"),
                    Algorithm.TOKEN_BUCKET,
                    1,
                    Duration.ofHours(1)),
                "sub=alice");

        assertThat(decide(limiter, check)).isTrue();
        assertThat(decide(limiter, check)).isFalse();
        assertThat(redis.cli("DBSIZE")).isEqualTo("1");
      }
    } finally {
      restore("javax.net.ssl.trustStore", previousTrustStore);
      System.clearProperty("javax.net.ssl.trustStorePassword");
      TempDirs.deleteRecursively(dir);
    }
  }

  private static boolean decide(RateLimiter limiter, LimitCheck check) {
    return limiter.decide(LimitRequest.of(check)).toCompletableFuture().join().allowed();
  }

  /** A CA, a server certificate for 127.0.0.1 signed by it, and a PKCS12 trust store. */
  private static void issueCertificates(Path dir) throws IOException {
    String ca = dir.resolve("ca.crt").toString();
    String caKey = dir.resolve("ca.key").toString();
    String csr = dir.resolve("server.csr").toString();
    Path san = Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=tollgate-test-ca",
        "-keyout",
        caKey,
        "-out",
        ca);
    run(
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        dir.resolve("server.key").toString(),
        "-out",
        csr);
    run(
        "openssl",
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca,
        "-CAkey",
        caKey,
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        san.toString(),
        "-out",
        dir.resolve("server.crt").toString());
    run(
        System.getProperty("java.home") + "/bin/keytool",
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        ca,
        "-keystore",
        dir.resolve("trust.p12").toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
  }

  private static void run(String... command) {
    ExternalCommand.run(COMMAND, List.of(command)).orThrow();
  }

  private static void restore(String property, String previous) {
    if (previous == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, previous);
    }
  }
}
