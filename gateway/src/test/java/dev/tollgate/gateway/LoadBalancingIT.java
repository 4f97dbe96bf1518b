package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How each balancing algorithm spreads requests over three real upstreams. */
class LoadBalancingIT {
  private static TestUpstream a;
  private static TestUpstream b;
  private static TestUpstream c;
  private static TestUpstream slow;
  private static TestUpstream fast1;
  private static TestUpstream fast2;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    a = TestUpstream.echo("a");
    b = TestUpstream.echo("b");
    c = TestUpstream.echo("c");
    slow =
        TestUpstream.start(
            "slow",
            (req, res) -> {
              Thread.sleep(100); // a slow upstream is the condition under test
              res.send("slow");
            });
    fast1 = TestUpstream.echo("fast1");
    fast2 = TestUpstream.echo("fast2");
    String three = String.join(", ", a.url(), b.url(), c.url());
    String mixed = String.join(", ", slow.url(), fast1.url(), fast2.url());
    gateway =
        GatewayFixture.start(
            route("rr", "round-robin", three)
                + route("random", "random", three)
                + route("least", "least-request", mixed)
                + route("rr-mixed", "round-robin", mixed));
  }

  private static String route(String name, String balancer, String endpoints) {
    return Routes.route(
        name,
        """
        match:
          pathPrefix: /%s
        backend:
          endpoints: [%s]
          loadBalancer: %s
        """
            .formatted(name, endpoints, balancer));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    for (TestUpstream upstream : List.of(a, b, c, slow, fast1, fast2)) {
      upstream.close();
    }
  }

  @BeforeEach
  void resetCounts() {
    for (TestUpstream upstream : List.of(a, b, c, slow, fast1, fast2)) {
      upstream.resetHits();
    }
  }

  @Test
  void roundRobinGivesEachEndpointExactlyItsShare() {
    for (int i = 0; i < 300; i++) {
      assertThat(gateway.get("/rr/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(List.of(a.hits(), b.hits(), c.hits())).containsOnly(100);
  }

  @Test
  void randomSpreadsRoughlyEvenly() {
    for (int i = 0; i < 1500; i++) {
      assertThat(gateway.get("/random/" + i).statusCode()).isEqualTo(200);
    }
    // Binomial(1500, 1/3): mean 500, sd ~18; 400..600 is more than 5 sd either side.
    assertThat(List.of(a.hits(), b.hits(), c.hits()))
        .allSatisfy(n -> assertThat(n).isBetween(400, 600));
  }

  @Test
  void leastRequestSendsLessTrafficToTheSlowEndpointThanRoundRobin() throws Exception {
    concurrently("/least", 300, 12);
    int leastShare = slow.hits();
    resetCounts();
    concurrently("/rr-mixed", 300, 12);
    int roundRobinShare = slow.hits();

    assertThat(roundRobinShare).isEqualTo(100);
    // Power of two choices avoids the endpoint with requests piling up.
    assertThat(leastShare).isLessThan(60);
  }

  private static void concurrently(String prefix, int requests, int clients) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        String target = prefix + "/" + i;
        results.add(pool.submit(() -> gateway.get(target).statusCode()));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(200);
      }
    }
  }
}
