package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.testkit.kube.KubeApiServerExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart's RBAC on an API server that enforces it: impersonating the operator's ServiceAccount,
 * it may do exactly what it needs and nothing else; the gateway's ServiceAccount may do nothing
 * beyond what every authenticated identity may (compared with an unbound ServiceAccount). A second
 * release with {@code gatewayAPI.listenerCertificates.enabled} shows the price of HTTPS listeners:
 * reading Secrets where the operator watches, writing the one bundle Secret in its namespace and
 * annotating the pods there.
 */
class ChartRbacIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  private static final String RELEASE = "rbac";
  private static final String OPERATOR = "rbac-tollgate-operator";
  private static final String GATEWAY = "rbac-tollgate-gateway";
  private static final String NOBODY = "nobody";
  private static final String TLS_RELEASE = "tls";
  private static final String TLS_OPERATOR = "tls-tollgate-operator";
  private static final String TLS_BUNDLE = "tls-tollgate-listener-certificates";

  /** What HTTPS listener certificates add wherever the operator watches. */
  private static final Set<String> LISTENER_CERTIFICATES_EVERYWHERE =
      Set.of("get /secrets", "list /secrets", "watch /secrets");

  /**
   * ... and in the operator's own namespace: the bundle Secret, and annotating the gateway pods
   * that mount it.
   */
  private static final Set<String> LISTENER_CERTIFICATES_BUNDLE =
      Set.of(
          "create /secrets",
          "get /secrets [" + TLS_BUNDLE + "]",
          "update /secrets [" + TLS_BUNDLE + "]",
          "patch /secrets [" + TLS_BUNDLE + "]",
          "get /pods",
          "list /pods",
          "patch /pods");

  /** What the operator needs in every namespace it watches. */
  private static final Set<String> OPERATOR_EVERYWHERE =
      Set.of(
          "get tollgate.dev/routes",
          "list tollgate.dev/routes",
          "watch tollgate.dev/routes",
          "get tollgate.dev/ratelimitpolicies",
          "list tollgate.dev/ratelimitpolicies",
          "watch tollgate.dev/ratelimitpolicies",
          "patch tollgate.dev/routes/status",
          "patch tollgate.dev/ratelimitpolicies/status",
          "get /services",
          "list /services",
          "watch /services",
          "get discovery.k8s.io/endpointslices",
          "list discovery.k8s.io/endpointslices",
          "watch discovery.k8s.io/endpointslices",
          "create /events",
          "patch /events",
          "get gateway.networking.k8s.io/gateways",
          "list gateway.networking.k8s.io/gateways",
          "watch gateway.networking.k8s.io/gateways",
          "get gateway.networking.k8s.io/httproutes",
          "list gateway.networking.k8s.io/httproutes",
          "watch gateway.networking.k8s.io/httproutes",
          "get gateway.networking.k8s.io/referencegrants",
          "list gateway.networking.k8s.io/referencegrants",
          "watch gateway.networking.k8s.io/referencegrants",
          "update gateway.networking.k8s.io/gateways/status",
          "update gateway.networking.k8s.io/httproutes/status",
          // cluster-scoped, for the Gateway API: GatewayClasses and namespace labels
          "get gateway.networking.k8s.io/gatewayclasses",
          "list gateway.networking.k8s.io/gatewayclasses",
          "watch gateway.networking.k8s.io/gatewayclasses",
          "update gateway.networking.k8s.io/gatewayclasses/status",
          "get /namespaces",
          "list /namespaces",
          "watch /namespaces");

  /** Leader election, only in the operator's own namespace. */
  private static final Set<String> OPERATOR_LEASES =
      Set.of(
          "get coordination.k8s.io/leases",
          "create coordination.k8s.io/leases",
          "update coordination.k8s.io/leases",
          "patch coordination.k8s.io/leases");

  private static String releaseNamespace;
  private static String teamNamespace;
  private static String tlsNamespace;
  private static Impersonation operator;
  private static Impersonation tlsOperator;
  private static Impersonation gateway;
  private static Impersonation nobody;

  @BeforeAll
  static void installChartRbac() {
    releaseNamespace = KUBE.api().createNamespace("tollgate");
    teamNamespace = KUBE.api().createNamespace("shop");
    RenderedManifest manifest =
        TollgateChart.render(RELEASE).inNamespace(releaseNamespace).manifest();
    ManifestApplier.create(
        KUBE.api().client(),
        manifest.objects().stream().filter(o -> o instanceof CustomResourceDefinition).toList());
    ManifestApplier.create(KUBE.api().client(), identityObjects(manifest));
    tlsNamespace = KUBE.api().createNamespace("tollgate-tls");
    ManifestApplier.create(
        KUBE.api().client(),
        identityObjects(
            TollgateChart.render(TLS_RELEASE)
                .inNamespace(tlsNamespace)
                .set("gatewayAPI.listenerCertificates.enabled", true)
                .manifest()));
    KUBE.api()
        .client()
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(NOBODY)
                .withNamespace(releaseNamespace)
                .endMetadata()
                .build())
        .create();
    operator = Impersonation.serviceAccount(KUBE.api(), releaseNamespace, OPERATOR);
    gateway = Impersonation.serviceAccount(KUBE.api(), releaseNamespace, GATEWAY);
    nobody = Impersonation.serviceAccount(KUBE.api(), releaseNamespace, NOBODY);
    tlsOperator = Impersonation.serviceAccount(KUBE.api(), tlsNamespace, TLS_OPERATOR);
  }

  @AfterAll
  static void closeClients() {
    for (Impersonation identity : new Impersonation[] {operator, gateway, nobody, tlsOperator}) {
      if (identity != null) {
        identity.close();
      }
    }
  }

  @Test
  void operatorHasExactlyWhatItNeedsInItsOwnNamespace() {
    Set<String> expected = new TreeSet<>(OPERATOR_EVERYWHERE);
    expected.addAll(OPERATOR_LEASES);

    assertThat(grantedByChart(operator, releaseNamespace))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void operatorHasExactlyWhatItNeedsInAnyOtherNamespace() {
    assertThat(grantedByChart(operator, teamNamespace))
        .containsExactlyInAnyOrderElementsOf(OPERATOR_EVERYWHERE);
  }

  @Test
  void withListenerCertificatesTheOperatorReadsSecretsAndWritesOnlyTheBundleInItsNamespace() {
    Set<String> own = new TreeSet<>(OPERATOR_EVERYWHERE);
    own.addAll(OPERATOR_LEASES);
    own.addAll(LISTENER_CERTIFICATES_EVERYWHERE);
    own.addAll(LISTENER_CERTIFICATES_BUNDLE);
    Set<String> elsewhere = new TreeSet<>(OPERATOR_EVERYWHERE);
    elsewhere.addAll(LISTENER_CERTIFICATES_EVERYWHERE);

    assertThat(grantedByChart(tlsOperator, tlsNamespace)).containsExactlyInAnyOrderElementsOf(own);
    assertThat(grantedByChart(tlsOperator, teamNamespace))
        .containsExactlyInAnyOrderElementsOf(elsewhere);
    assertThat(
            tlsOperator.can(
                new ResourceAttributesBuilder()
                    .withVerb("update")
                    .withResource("secrets")
                    .withName("someone-elses")
                    .withNamespace(tlsNamespace)
                    .build()))
        .isFalse();
    assertThat(
            tlsOperator.can(
                new ResourceAttributesBuilder()
                    .withVerb("update")
                    .withResource("secrets")
                    .withName(TLS_BUNDLE)
                    .withNamespace(tlsNamespace)
                    .build()))
        .isTrue();
  }

  @ParameterizedTest(name = "{0} {1}/{2} {3} in [{4}] -> {5}")
  @CsvSource({
    // verb, group, resource, subresource, namespace (RELEASE = the operator's own), allowed
    "list,   tollgate.dev,              routes,                  ,       ,        true",
    "watch,  tollgate.dev,              ratelimitpolicies,       ,       ,        true",
    "patch,  tollgate.dev,              routes,                  status, shop,    true",
    "update, tollgate.dev,              ratelimitpolicies,       status, shop,    false",
    "update, tollgate.dev,              routes,                  ,       shop,    false",
    "patch,  tollgate.dev,              ratelimitpolicies,       ,       shop,    false",
    "delete, tollgate.dev,              routes,                  ,       shop,    false",
    "create, tollgate.dev,              ratelimitpolicies,       ,       shop,    false",
    "watch,  '',                        services,                ,       ,        true",
    "delete, '',                        services,                ,       shop,    false",
    "update, '',                        services,                ,       shop,    false",
    "watch,  discovery.k8s.io,          endpointslices,          ,       ,        true",
    "create, discovery.k8s.io,          endpointslices,          ,       shop,    false",
    "create, '',                        events,                  ,       shop,    true",
    "create, events.k8s.io,             events,                  ,       shop,    false",
    "patch,  '',                        events,                  ,       shop,    true",
    "update, '',                        events,                  ,       shop,    false",
    "delete, '',                        events,                  ,       shop,    false",
    "get,    '',                        secrets,                 ,       shop,    false",
    "list,   '',                        secrets,                 ,       ,        false",
    "get,    '',                        configmaps,              ,       RELEASE, false",
    "list,   '',                        pods,                    ,       ,        false",
    "update, coordination.k8s.io,       leases,                  ,       RELEASE, true",
    "create, coordination.k8s.io,       leases,                  ,       RELEASE, true",
    "delete, coordination.k8s.io,       leases,                  ,       RELEASE, false",
    "update, coordination.k8s.io,       leases,                  ,       shop,    false",
    "get,    apiextensions.k8s.io,      customresourcedefinitions, ,     ,        false",
    "watch,  gateway.networking.k8s.io, httproutes,              ,       ,        true",
    "update, gateway.networking.k8s.io, httproutes,              status, shop,    true",
    "patch,  gateway.networking.k8s.io, httproutes,              status, shop,    false",
    "update, gateway.networking.k8s.io, httproutes,              ,       shop,    false",
    "delete, gateway.networking.k8s.io, gateways,                ,       shop,    false",
    "update, gateway.networking.k8s.io, gatewayclasses,          status, ,        true",
    "patch,  gateway.networking.k8s.io, gatewayclasses,          status, ,        false",
    "update, gateway.networking.k8s.io, gatewayclasses,          ,       ,        false",
    "update, '',                        namespaces,              ,       ,        false",
    "create, rbac.authorization.k8s.io, clusterrolebindings,     ,       ,        false",
  })
  void operatorAccessReview(
      String verb,
      String group,
      String resource,
      String subresource,
      String namespace,
      boolean allowed) {
    String resolvedNamespace =
        namespace == null ? "" : namespace.equals("RELEASE") ? releaseNamespace : teamNamespace;

    assertThat(
            operator.can(
                new ResourceAttributesBuilder()
                    .withVerb(verb)
                    .withGroup(group)
                    .withResource(resource)
                    .withSubresource(subresource)
                    .withNamespace(resolvedNamespace)
                    .build()))
        .isEqualTo(allowed);
  }

  @Test
  void operatorRequestsAreServedOrRefusedByTheApiServer() {
    KUBE.api()
        .client()
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("orders")
                .withNamespace(teamNamespace)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(8080)
                .endPort()
                .endSpec()
                .build())
        .create();
    var client = operator.client();

    assertThat(client.services().inNamespace(teamNamespace).list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("orders");
    assertThat(client.genericKubernetesResources(routes()).inAnyNamespace().list().getItems())
        .isEmpty();
    assertForbidden(() -> client.secrets().inNamespace(teamNamespace).list());
    assertForbidden(() -> client.services().inNamespace(teamNamespace).withName("orders").delete());
    assertThat(KUBE.api().client().services().inNamespace(teamNamespace).withName("orders").get())
        .isNotNull();
  }

  @Test
  void gatewayMayDoNothingBeyondWhatEveryIdentityMay() {
    assertThat(grantedByChart(gateway, releaseNamespace)).isEmpty();
    assertThat(grantedByChart(gateway, teamNamespace)).isEmpty();

    var client = gateway.client();
    assertForbidden(() -> client.services().inNamespace(releaseNamespace).list());
    assertForbidden(() -> client.pods().inNamespace(releaseNamespace).list());
    assertForbidden(() -> client.secrets().inNamespace(releaseNamespace).list());
    assertForbidden(() -> client.configMaps().inNamespace(releaseNamespace).list());
    assertForbidden(() -> client.genericKubernetesResources(routes()).inAnyNamespace().list());
  }

  /** ServiceAccounts and what binds them to roles. */
  private static List<HasMetadata> identityObjects(RenderedManifest manifest) {
    return manifest.objects().stream()
        .filter(
            o ->
                o instanceof ServiceAccount
                    || o instanceof ClusterRole
                    || o instanceof ClusterRoleBinding
                    || o instanceof Role
                    || o instanceof RoleBinding)
        .toList();
  }

  /** Rules the identity has beyond those of a ServiceAccount with no bindings at all. */
  private static Set<String> grantedByChart(Impersonation identity, String namespace) {
    Set<String> rules = new TreeSet<>(identity.effectiveRules(namespace));
    Set<String> baseline = nobody.effectiveRules(namespace);
    assertThat(baseline).as("baseline rules of an unbound ServiceAccount").isNotEmpty();
    rules.removeAll(baseline);
    return rules;
  }

  private static ResourceDefinitionContext routes() {
    return new ResourceDefinitionContext.Builder()
        .withGroup("tollgate.dev")
        .withVersion("v1alpha1")
        .withKind("Route")
        .withPlural("routes")
        .withNamespaced(true)
        .build();
  }

  private static void assertForbidden(Runnable request) {
    assertThatThrownBy(request::run)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }
}
