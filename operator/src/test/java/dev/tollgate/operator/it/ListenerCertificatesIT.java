package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.GatewayStatuses.condition;
import static dev.tollgate.operator.it.GatewayStatuses.conditions;
import static dev.tollgate.operator.it.GatewayStatuses.message;
import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.testkit.PemPair;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS listeners of Gateways on a real API server with the standard-channel CRDs: the operator
 * judges each certificateRef (Secret missing, of another type, unreadable PEM, a key of another
 * certificate, another namespace without and with a ReferenceGrant) on the listener's status as the
 * Gateway API defines it, and keeps the bundle Secret the gateways mount equal to the usable
 * certificates: renewed, added and removed with the listeners, written only when it changes.
 */
class ListenerCertificatesIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final String BUNDLE = "listener-certificates";

  @TempDir Path dir;

  private GatewayApiFixture gatewayApi;
  private String infra;
  private String certs;
  private Map<String, String> env;
  private OperatorFixture.Running operator;

  @BeforeAll
  static void installCrds() {
    GatewayApiFixture.installCrds(KUBE.api());
  }

  @BeforeEach
  void start() {
    gatewayApi = GatewayApiFixture.create(KUBE.api());
    infra = gatewayApi.infra();
    certs = KUBE.api().createNamespace("certs");
    env = gatewayApi.operatorSettings(REDIS.server(), certs);
    env.put(OperatorSettings.LISTENER_CERTIFICATES_SECRET, infra + "/" + BUNDLE);
    env.put(OperatorSettings.LISTENER_CERTIFICATES_PODS, "app=gateway,release=" + infra);
    operator = OperatorFixture.start(KUBE.api(), env);
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void aValidCertificateGoesIntoTheBundleAndItsListenerIsProgrammedWithRoutesAttached() {
    PemPair pair = PemPair.create(dir, "shop.example.com");
    tlsSecret(infra, "shop", pair);
    gateway("public", listener("https", "shop.example.com", infra, "shop"));
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop}
        spec:
          parentRefs: [{name: public, sectionName: https}]
          hostnames: [shop.example.com]
          rules: [{backendRefs: [{name: gateway, port: 80}]}]
        """);

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(bundle())
                  .containsExactlyInAnyOrderEntriesOf(
                      Map.of(
                          infra + ".shop.crt", pair.certificateBase64(),
                          infra + ".shop.key", pair.keyBase64()));
              ListenerStatus listener = listener("public", "https");
              assertThat(conditions(listener))
                  .contains(
                      "Accepted=True Accepted",
                      "ResolvedRefs=True ResolvedRefs",
                      "Programmed=True Programmed");
              assertThat(listener.getAttachedRoutes()).isEqualTo(1);
              assertThat(listener.getSupportedKinds())
                  .extracting(k -> k.getKind())
                  .containsExactly("HTTPRoute");
              assertThat(condition(gateway("public").getStatus().getConditions(), "Accepted"))
                  .isEqualTo("True Accepted");
            });
    assertThat(operator.metric("tollgate_operator_listener_certificates")).isEqualTo(1);
    assertThat(operator.metric("tollgate_operator_listener_certificate_bundle_bytes"))
        .isEqualTo(
            pair.certificate().length()
                + pair.key().length()
                + (infra + ".shop.crt").length()
                + (infra + ".shop.key").length());
    Secret bundle = bundleSecret();
    assertThat(bundle.getType()).isEqualTo("Opaque");
    assertThat(bundle.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "tollgate-operator");
  }

  @Test
  void unusableCertificatesAreInvalidCertificateRefsAndStayOutOfTheBundleWhileRoutesAttach() {
    PemPair good = PemPair.create(dir, "good.example.com");
    PemPair other = PemPair.create(dir, "other.example.com");
    tlsSecret(infra, "good", good);
    tlsSecret(infra, "garbage", new PemPair("Hello world\n", "Hello world\n"));
    tlsSecret(infra, "mismatched", new PemPair(good.certificate(), other.key()));
    secret(infra, "opaque", "Opaque", good);
    gateway(
        "broken",
        listener("missing", "missing.example.com", infra, "nonexistent"),
        listener("wrong-type", "opaque.example.com", infra, "opaque"),
        listener("garbage", "garbage.example.com", infra, "garbage"),
        listener("mismatched", "mismatched.example.com", infra, "mismatched"),
        listener("good", "good.example.com", infra, "good"),
        listener("good", "good.example.com", infra, "good")
            .replace("- name: good", "- name: plain-port")
            .replace("port: 443", "port: 80"));
    // attachment follows allowedRoutes and parentRefs alone, whatever the listener's certificates
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: to-missing}
        spec:
          parentRefs: [{name: broken, sectionName: missing}]
          rules: [{backendRefs: [{name: gateway, port: 80}]}]
        """);

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              for (String name : List.of("missing", "wrong-type", "garbage", "mismatched")) {
                ListenerStatus listener = listener("broken", name);
                assertThat(conditions(listener))
                    .as(name)
                    .contains(
                        "Accepted=True Accepted",
                        "ResolvedRefs=False InvalidCertificateRef",
                        "Programmed=False Invalid");
                assertThat(listener.getSupportedKinds())
                    .extracting(k -> k.getKind())
                    .containsExactly("HTTPRoute");
              }
              assertThat(listener("broken", "missing").getAttachedRoutes()).isOne();
              // port 80 of the gateway Service leads to its plain HTTP socket
              assertThat(condition(listener("broken", "plain-port").getConditions(), "Accepted"))
                  .isEqualTo("False PortUnavailable");
              assertThat(conditions(listener("broken", "good")))
                  .contains("ResolvedRefs=True ResolvedRefs", "Programmed=True Programmed");
              assertThat(condition(gateway("broken").getStatus().getConditions(), "Accepted"))
                  .isEqualTo("True ListenersNotValid");
              assertThat(bundle().keySet())
                  .containsExactlyInAnyOrder(infra + ".good.crt", infra + ".good.key");
            });
    assertThat(message(listener("broken", "mismatched"), "ResolvedRefs"))
        .contains("does not belong");
    assertThat(message(listener("broken", "missing"), "ResolvedRefs"))
        .contains(infra + "/nonexistent");
  }

  @Test
  void aCertificateInAnotherNamespaceNeedsAReferenceGrantFromGateways() {
    PemPair pair = PemPair.create(dir, "shared.example.com");
    tlsSecret(certs, "shared", pair);
    gateway("public", listener("https", "shared.example.com", certs, "shared"));
    // grants that open other kinds or other names open nothing
    apply(
        KUBE.api(),
        certs,
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: routes-only}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: %s}]
          to: [{group: "", kind: Secret}]
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: other-secret}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: %s}]
          to: [{group: "", kind: Secret, name: other}]
        """
            .formatted(infra, infra));

    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(conditions(listener("public", "https")))
                    .contains("ResolvedRefs=False RefNotPermitted", "Programmed=False Invalid"));
    assertThat(bundle()).isEmpty();

    apply(
        KUBE.api(),
        certs,
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: gateways}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: %s}]
          to: [{group: "", kind: Secret, name: shared}]
        """
            .formatted(infra));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(conditions(listener("public", "https")))
                  .contains("ResolvedRefs=True ResolvedRefs", "Programmed=True Programmed");
              assertThat(bundle())
                  .containsEntry(certs + ".shared.crt", pair.certificateBase64())
                  .containsEntry(certs + ".shared.key", pair.keyBase64());
            });
  }

  @Test
  void aRenewedCertificateReplacesThePairAndARemovedListenerTakesItsPairAlong() {
    PemPair first = PemPair.create(dir, "renewed.example.com");
    PemPair kept = PemPair.create(dir, "kept.example.com");
    tlsSecret(infra, "renewed", first);
    tlsSecret(infra, "kept", kept);
    gateway(
        "public",
        listener("renewed", "renewed.example.com", infra, "renewed"),
        listener("kept", "kept.example.com", infra, "kept"));
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(bundle())
                    .containsEntry(infra + ".renewed.crt", first.certificateBase64())
                    .containsKey(infra + ".kept.crt"));

    PemPair renewal = PemPair.create(dir, "renewed.example.com");
    tlsSecret(infra, "renewed", renewal);
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(bundle())
                    .containsEntry(infra + ".renewed.crt", renewal.certificateBase64())
                    .containsEntry(infra + ".renewed.key", renewal.keyBase64()));

    gateway("public", listener("kept", "kept.example.com", infra, "kept"));
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(bundle().keySet())
                    .containsExactlyInAnyOrder(infra + ".kept.crt", infra + ".kept.key"));
  }

  @Test
  void theBundleIsNotWrittenAgainWhenNothingInItChanged() {
    PemPair pair = PemPair.create(dir, "steady.example.com");
    tlsSecret(infra, "steady", pair);
    gateway("public", listener("https", "steady.example.com", infra, "steady"));
    await().atMost(patience()).untilAsserted(() -> assertThat(bundle()).hasSize(2));
    String version = bundleSecret().getMetadata().getResourceVersion();
    double writes = operator.metric("tollgate_operator_listener_certificate_bundle_writes_total");

    // A change that makes the operator compile and publish the Gateway API status again: an
    // HTTPRoute whose status shows that the pass ran.
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: later}
        spec:
          parentRefs: [{name: public}]
          rules: [{backendRefs: [{name: gateway, port: 80}]}]
        """);
    await()
        .atMost(patience())
        .untilAsserted(() -> assertThat(listener("public", "https").getAttachedRoutes()).isOne());

    assertThat(bundleSecret().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(operator.metric("tollgate_operator_listener_certificate_bundle_writes_total"))
        .isEqualTo(writes);
  }

  @Test
  void afterEachWriteThePodsThatMountTheBundleAreAnnotatedWithItsVersion() {
    pod("gateway-a", "app: gateway, release: " + infra);
    pod("gateway-b", "app: gateway, release: " + infra);
    pod("other", "app: gateway, release: elsewhere");
    PemPair first = PemPair.create(dir, "shop.example.com");
    tlsSecret(infra, "shop", first);
    gateway("public", listener("https", "shop.example.com", infra, "shop"));
    await().atMost(patience()).untilAsserted(() -> assertThat(bundle()).hasSize(2));
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(mountVersions())
                    .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                            "gateway-a", bundleSecret().getMetadata().getResourceVersion(),
                            "gateway-b", bundleSecret().getMetadata().getResourceVersion(),
                            "other", "none")));

    // A renewal is a new bundle version: both pods are told again.
    tlsSecret(infra, "shop", PemPair.create(dir, "shop.example.com"));
    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              String renewed = bundleSecret().getMetadata().getResourceVersion();
              assertThat(bundle()).doesNotContainValue(first.certificateBase64());
              assertThat(mountVersions())
                  .containsEntry("gateway-a", renewed)
                  .containsEntry("gateway-b", renewed)
                  .containsEntry("other", "none");
            });
    assertThat(operator.metric("tollgate_operator_listener_certificate_mount_refreshes_total"))
        .isGreaterThanOrEqualTo(4);
    assertThat(
            operator.metric("tollgate_operator_listener_certificate_mount_refresh_failures_total"))
        .isZero();
  }

  @Test
  void aSecretOfTheBundlesNameThatTheOperatorDidNotCreateIsLeftAloneAndTheListenersWait() {
    operator.close();
    KUBE.api().client().secrets().inNamespace(infra).withName(BUNDLE).delete();
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s}
        type: Opaque
        stringData: {note: someone else's}
        """
            .formatted(BUNDLE));
    operator = OperatorFixture.start(KUBE.api(), env);
    PemPair pair = PemPair.create(dir, "shop.example.com");
    tlsSecret(infra, "shop", pair);
    gateway("public", listener("https", "shop.example.com", infra, "shop"));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              ListenerStatus listener = listener("public", "https");
              assertThat(conditions(listener))
                  .contains("ResolvedRefs=True ResolvedRefs", "Programmed=False Pending");
              assertThat(message(listener, "Programmed")).contains("not managed by");
            });
    assertThat(bundle()).containsOnlyKeys("note");
  }

  @Test
  void onlyTheLeaderWritesTheBundle() {
    operator.close();
    operator =
        OperatorFixture.start(
            KUBE.api(), OperatorFixture.withShortLease(new HashMap<>(env), infra, "first"));
    await().atMost(patience()).until(() -> operator.metric("tollgate_operator_leader") == 1);
    try (OperatorFixture.Running standby =
        OperatorFixture.start(
            KUBE.api(), OperatorFixture.withShortLease(new HashMap<>(env), infra, "second"))) {
      PemPair pair = PemPair.create(dir, "shop.example.com");
      tlsSecret(infra, "shop", pair);
      gateway("public", listener("https", "shop.example.com", infra, "shop"));

      await()
          .atMost(patience())
          .untilAsserted(() -> assertThat(bundle()).containsKey(infra + ".shop.crt"));
      assertThat(standby.metric("tollgate_operator_leader")).isZero();
      assertThat(standby.metric("tollgate_operator_listener_certificate_bundle_writes_total"))
          .isZero();
      assertThat(operator.metric("tollgate_operator_listener_certificate_bundle_writes_total"))
          .isPositive();
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  /** A pod that never runs (no node here): only its metadata matters. */
  private void pod(String name, String labels) {
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, labels: {%s}}
        spec:
          automountServiceAccountToken: false
          containers: [{name: gateway, image: tollgate/gateway:test}]
        """
            .formatted(name, labels));
  }

  /** Each pod's bundle version annotation, "none" without one. */
  private Map<String, String> mountVersions() {
    Map<String, String> versions = new HashMap<>();
    for (var pod : KUBE.api().client().pods().inNamespace(infra).list().getItems()) {
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      versions.put(
          pod.getMetadata().getName(),
          annotations == null
              ? "none"
              : annotations.getOrDefault("tollgate.dev/listener-certificates-version", "none"));
    }
    return versions;
  }

  private static void tlsSecret(String namespace, String name, PemPair pair) {
    secret(namespace, name, "kubernetes.io/tls", pair);
  }

  private static void secret(String namespace, String name, String type, PemPair pair) {
    apply(
        KUBE.api(),
        namespace,
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s}
        type: %s
        data: {tls.crt: %s, tls.key: %s}
        """
            .formatted(name, type, pair.certificateBase64(), pair.keyBase64()));
  }

  /** An HTTPS listener on port 443 for {@code hostname} with one certificateRef. */
  private static String listener(
      String name, String hostname, String secretNamespace, String secretName) {
    return """
            - name: %s
              protocol: HTTPS
              port: 443
              hostname: %s
              allowedRoutes: {namespaces: {from: All}}
              tls:
                certificateRefs: [{kind: Secret, name: %s, namespace: %s}]
        """
        .formatted(name, hostname, secretName, secretNamespace);
  }

  private void gateway(String name, String... listeners) {
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: %s}
        spec:
          gatewayClassName: %s
          listeners:
        %s"""
            .formatted(name, gatewayApi.className(), String.join("", listeners)));
  }

  private Gateway gateway(String name) {
    return gatewayApi.gateway(name);
  }

  private ListenerStatus listener(String gateway, String name) {
    return gatewayApi.listener(gateway, name);
  }

  private Secret bundleSecret() {
    return KUBE.api().client().secrets().inNamespace(infra).withName(BUNDLE).get();
  }

  private Map<String, String> bundle() {
    Secret secret = bundleSecret();
    assertThat(secret).as("bundle Secret").isNotNull();
    return secret.getData() == null ? Map.of() : secret.getData();
  }
}
