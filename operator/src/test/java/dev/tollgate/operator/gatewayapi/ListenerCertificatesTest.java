package dev.tollgate.operator.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.cluster.TollgateClassClusterView;
import dev.tollgate.operator.config.GatewayApiSettings;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.testkit.PemPair;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle's bound and the sharing of one Secret by several listeners, without a cluster. */
class ListenerCertificatesTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String CONTROLLER = GatewayApiSettings.DEFAULT_CONTROLLER_NAME;

  @TempDir Path dir;

  /** A class, one Gateway and some Secrets, all in namespace {@code infra}. */
  private record Cluster(Gateway gateway, Map<String, Secret> secrets)
      implements TollgateClassClusterView {
    @Override
    public List<Gateway> gateways() {
      return List.of(gateway);
    }

    @Override
    public Optional<Secret> tlsSecret(String namespace, String name) {
      return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }
  }

  @Test
  void certificatesThatDoNotFitTheBoundAreLeftOutInNameOrderAndTheirListenersSaySo() {
    Map<String, Secret> secrets =
        Map.of(
            "infra/a", secret("a", PemPair.create(dir, "a.example.com")),
            "infra/b", secret("b", PemPair.create(dir, "b.example.com")),
            "infra/c", secret("c", PemPair.create(dir, "c.example.com")));
    Cluster cluster = new Cluster(gateway("c", "a", "b"), secrets);
    ListenerCertificates.Judgement unbounded =
        certificates(cluster, ListenerCertificates.BUNDLE_LIMIT_BYTES).judge(Set.of());
    assertThat(unbounded.served()).isEqualTo(3);
    // what a and b take in the Secret: key names and decoded values
    int twoPairs =
        unbounded.bundle().entrySet().stream()
            .filter(e -> !e.getKey().startsWith("infra.c."))
            .mapToInt(e -> e.getKey().length() + Base64.getDecoder().decode(e.getValue()).length)
            .sum();

    ListenerCertificates.Judgement bounded = certificates(cluster, twoPairs).judge(Set.of());

    assertThat(bounded.served()).isEqualTo(2);
    assertThat(bounded.bytes()).isEqualTo(twoPairs);
    assertThat(bounded.bundle().keySet())
        .containsExactly("infra.a.crt", "infra.a.key", "infra.b.crt", "infra.b.key");
    assertThat(bounded.listeners())
        .hasSize(3)
        .allSatisfy((key, verdict) -> assertThat(verdict.fine()).isEqualTo(!key.endsWith("l0")));
    ListenerCertificates.Verdict refused = bounded.listeners().get("infra/public/l0");
    assertThat(refused.resolvedRefs()).isEmpty();
    assertThat(refused.programmed())
        .map(DesiredCondition::message)
        .hasValueSatisfying(m -> assertThat(m).contains("infra.c does not fit"));
  }

  @Test
  void certificatesTheBundleHoldsStayAheadOfNewOnesThatSortEarlier() {
    Secret b = secret("b", PemPair.create(dir, "b.example.com"));
    Secret a = secret("a", PemPair.create(dir, "a.example.com"));
    // room for either alone, not both
    int onePair = Math.max(bytesOf(b, "b"), bytesOf(a, "a"));

    // another tenant's certificate that sorts first arrives; the bundle has room for one
    Cluster both = new Cluster(gateway("b", "a"), Map.of("infra/b", b, "infra/a", a));
    ListenerCertificates.Judgement judged = certificates(both, onePair).judge(Set.of("infra.b"));

    assertThat(judged.bundle()).containsOnlyKeys("infra.b.crt", "infra.b.key");
    assertThat(judged.listeners().get("infra/public/l0").fine()).isTrue();
    assertThat(judged.listeners().get("infra/public/l1").programmed())
        .map(DesiredCondition::message)
        .hasValueSatisfying(m -> assertThat(m).contains("infra.a does not fit"));
  }

  @Test
  void listenersSharingASecretShareOnePair() {
    Secret shared = secret("shared", PemPair.create(dir, "shared.example.com"));
    Cluster cluster = new Cluster(gateway("shared", "shared"), Map.of("infra/shared", shared));

    ListenerCertificates.Judgement judged =
        certificates(cluster, ListenerCertificates.BUNDLE_LIMIT_BYTES).judge(Set.of());

    assertThat(judged.served()).isOne();
    assertThat(judged.bundle()).containsOnlyKeys("infra.shared.crt", "infra.shared.key");
    assertThat(judged.listeners().values()).hasSize(2).allMatch(ListenerCertificates.Verdict::fine);
  }

  @Test
  void withoutTheBundleSettingEveryHttpsListenerIsUnresolved() {
    Secret secret = secret("a", PemPair.create(dir, "a.example.com"));
    Cluster cluster = new Cluster(gateway("a"), Map.of("infra/a", secret));

    ListenerCertificates.Judgement judged =
        new ListenerCertificates(cluster, listeners(cluster), false).judge(Set.of());

    assertThat(judged.bundle()).isEmpty();
    assertThat(judged.listeners().get("infra/public/l0").resolvedRefs())
        .map(c -> c.reason() + ": " + c.message())
        .hasValueSatisfying(
            m -> assertThat(m).startsWith("InvalidCertificateRef: listener certificates are off"));
  }

  private static int bytesOf(Secret secret, String name) {
    return certificates(
            new Cluster(gateway(name), Map.of("infra/" + name, secret)), Integer.MAX_VALUE)
        .judge(Set.of())
        .bytes();
  }

  private static ListenerCertificates certificates(Cluster cluster, int limitBytes) {
    return new ListenerCertificates(cluster, listeners(cluster), true, limitBytes);
  }

  private static Listeners listeners(Cluster cluster) {
    return new Listeners(cluster, new GatewayApiSettings(CONTROLLER, Optional.empty()));
  }

  /** Gateway infra/public with one HTTPS listener per Secret: l0, l1, ... */
  private static Gateway gateway(String... secrets) {
    StringBuilder listeners = new StringBuilder();
    for (int i = 0; i < secrets.length; i++) {
      listeners
          .append("    - name: l" + i + "\n")
          .append("      protocol: HTTPS\n")
          .append("      port: 443\n")
          .append("      hostname: h" + i + ".example.com\n")
          .append("      tls: {certificateRefs: [{name: " + secrets[i] + "}]}\n");
    }
    return YAML.unmarshal(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: public, namespace: infra}
        spec:
          gatewayClassName: tollgate
          listeners:
        """
            + listeners,
        Gateway.class);
  }

  private static Secret secret(String name, PemPair pair) {
    return YAML.unmarshal(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: infra, resourceVersion: "1"}
        type: kubernetes.io/tls
        data: {tls.crt: %s, tls.key: %s}
        """
            .formatted(name, pair.certificateBase64(), pair.keyBase64()),
        Secret.class);
  }
}
