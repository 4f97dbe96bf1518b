package dev.tollgate.api.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.v1alpha1.KeyPart;
import dev.tollgate.api.v1alpha1.Limit;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.api.v1alpha1.RouteAuth;
import dev.tollgate.api.v1alpha1.RouteBackend;
import org.junit.jupiter.api.Test;

/** The Redis snapshot JSON contract (team contract "Redis snapshot JSON"). */
class ConfigSnapshotJsonTest {
  static final String CONTRACT_EXAMPLE =
      """
      {"version": 42, "futureField": true,
       "routes": [{"namespace": "shop", "name": "orders", "unknown": 1,
         "spec": {"hosts": ["api.example.com"],
                  "match": {"pathPrefix": "/orders", "methods": ["GET", "POST"], "later": "x"},
                  "rewrite": {"replacePrefix": "/"},
                  "backend": {"service": {"name": "orders", "port": 8080},
                              "loadBalancer": "least-request", "timeout": "5s",
                              "retries": {"attempts": 2, "retryOn": ["connect-failure", "gateway-error"]},
                              "circuitBreaker": {"failureRatio": 50, "volume": 20, "delay": "10s"}},
                  "auth": {"jwt": "required"}},
         "endpoints": ["http://10.1.2.3:8080", "http://orders.ext.example:80"]}],
       "policies": [{"namespace": "shop", "name": "orders-per-user",
         "spec": {"targetRefs": [{"kind": "Route", "name": "orders"}],
                  "enforcement": "shadow", "failureMode": "local",
                  "limits": [{"name": "per-user", "algorithm": "gcra",
                              "rate": {"requests": 100, "period": "1m"}, "burst": 20,
                              "key": [{"claim": "sub"}, {"clientIP": true}],
                              "tiers": {"claim": "plan", "values": {
                                "premium": {"rate": {"requests": 1000, "period": "1m"}, "burst": 200},
                                "internal": {"unlimited": true}}}}]}}]}
      """;

  final ObjectMapper json = ApiJson.mapper();

  @Test
  void readsTheContractExampleIgnoringUnknownFields() throws Exception {
    ConfigSnapshot snapshot = json.readValue(CONTRACT_EXAMPLE, ConfigSnapshot.class);

    assertThat(snapshot.version()).isEqualTo(42);
    SnapshotRoute route = snapshot.routes().getFirst();
    assertThat(route.namespace()).isEqualTo("shop");
    assertThat(route.endpoints())
        .containsExactly("http://10.1.2.3:8080", "http://orders.ext.example:80");
    assertThat(route.spec().getMatch().getPathPrefix()).isEqualTo("/orders");
    assertThat(route.spec().getBackend().getLoadBalancer())
        .isEqualTo(RouteBackend.LoadBalancer.LEAST_REQUEST);
    assertThat(route.spec().getAuth().getJwt()).isEqualTo(RouteAuth.JwtMode.REQUIRED);

    RateLimitPolicySpec policy = snapshot.policies().getFirst().spec();
    assertThat(policy.getTargetRefs())
        .containsExactly(new TargetRef(TargetRef.Kind.ROUTE, "orders"));
    assertThat(policy.getFailureMode()).isEqualTo(RateLimitPolicySpec.FailureMode.LOCAL);
    Limit limit = policy.getLimits().getFirst();
    assertThat(limit.getAlgorithm()).isEqualTo(Limit.Algorithm.GCRA);
    assertThat(limit.getKey().getFirst()).isEqualTo(KeyPart.claim("sub"));
    assertThat(limit.getTiers().getValues().get("internal").getUnlimited()).isTrue();
    assertThat(limit.getTiers().getValues().get("premium").getRate().getRequests()).isEqualTo(1000);
  }

  @Test
  void carriesTheClientCertificateKeyPartFromOperatorToGateway() throws Exception {
    Limit limit =
        json.readValue(
            """
            {"name": "per-partner", "rate": {"requests": 10, "period": "1m"},
             "key": [{"clientCertificate": true}]}
            """,
            Limit.class);

    assertThat(limit.getKey().getFirst().getClientCertificate()).isTrue();
    assertThat(json.writeValueAsString(limit)).contains("\"key\":[{\"clientCertificate\":true}]");
  }

  @Test
  void writesEnumsInTheirYamlSpellingAndRoundTrips() throws Exception {
    ConfigSnapshot snapshot = json.readValue(CONTRACT_EXAMPLE, ConfigSnapshot.class);

    String written = json.writeValueAsString(snapshot);

    assertThat(written)
        .contains("\"loadBalancer\":\"least-request\"")
        .contains("\"retryOn\":[\"connect-failure\",\"gateway-error\"]")
        .contains("\"kind\":\"Route\"")
        .doesNotContain("futureField")
        .doesNotContain("null");
    assertThat(json.readValue(written, ConfigSnapshot.class)).isEqualTo(snapshot);
  }

  @Test
  void carriesAServicePortsAppProtocolOnlyWhenThereIsOne() throws Exception {
    SnapshotRoute plain = json.readValue(CONTRACT_EXAMPLE, ConfigSnapshot.class).routes().get(0);
    SnapshotRoute h2c =
        new SnapshotRoute(
            plain.namespace(), plain.name(), plain.spec(), plain.endpoints(), "kubernetes.io/h2c");

    assertThat(json.writeValueAsString(plain)).doesNotContain("appProtocol");
    String written = json.writeValueAsString(h2c);
    assertThat(written).contains("\"appProtocol\":\"kubernetes.io/h2c\"");
    assertThat(json.readValue(written, SnapshotRoute.class)).isEqualTo(h2c);
  }

  @Test
  void writesTheSameBytesForTheSameConfigWhateverTheMapOrder() throws Exception {
    ConfigSnapshot snapshot = json.readValue(CONTRACT_EXAMPLE, ConfigSnapshot.class);
    var reordered = new java.util.LinkedHashMap<String, dev.tollgate.api.v1alpha1.Tier>();
    var tiers = snapshot.policies().getFirst().spec().getLimits().getFirst().getTiers();
    reordered.put("internal", tiers.getValues().get("internal"));
    reordered.put("premium", tiers.getValues().get("premium"));
    String before = json.writeValueAsString(snapshot);

    tiers.setValues(reordered);

    assertThat(json.writeValueAsString(snapshot)).isEqualTo(before);
  }

  @Test
  void missingListsBecomeEmptyLists() throws Exception {
    assertThat(json.writeValueAsString(new ConfigSnapshot(0, null, null)))
        .isEqualTo("{\"version\":0,\"routes\":[],\"policies\":[],\"httpRoutes\":[]}");
    ConfigSnapshot read = json.readValue("{\"version\":3}", ConfigSnapshot.class);
    assertThat(read.routes()).isEmpty();
    assertThat(read.httpRoutes()).isEmpty();
  }
}
