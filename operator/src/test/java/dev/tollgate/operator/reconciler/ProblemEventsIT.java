package dev.tollgate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.operator.it.OperatorFixture;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.testkit.PemPair;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warning Events on a real API server, recorded as the operator's ServiceAccount with only the
 * permissions docs/operator.md lists: a warning that repeats (a backend that flaps) counts up one
 * Event, and the Events of one resource stay few however many distinct warnings it gets.
 */
class ProblemEventsIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  private static final DesiredCondition NO_SERVICE =
      DesiredCondition.isFalse("Accepted", "BackendNotFound", "Service orders not found");

  private static String namespace;
  private KubernetesClient client;
  private Route route;

  @BeforeAll
  static void installCrds() {
    OperatorFixture.installCrds(KUBE.api());
    namespace = KUBE.api().createNamespace("events");
    OperatorFixture.apply(
        KUBE.api(),
        namespace,
        OperatorFixture.resource("operator-rbac.yaml").replace("NAMESPACE", namespace));
  }

  @BeforeEach
  void createClientAndRoute() {
    Config config = KUBE.api().clientConfig();
    config.setImpersonateUsername("system:serviceaccount:" + namespace + ":tollgate-operator");
    // beyond the API server's 30 s webhook limit, so a held Event creation is never cut short here
    config.setRequestTimeout(60_000);
    client = new KubernetesClientBuilder().withConfig(config).build();
    route = createRoute(namespace);
  }

  private static Route createRoute(String in) {
    String name = "orders-" + System.nanoTime();
    OperatorFixture.apply(
        KUBE.api(),
        in,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: %s}
        spec:
          match: {pathPrefix: /orders}
          backend: {service: {name: orders, port: 8080}}
        """
            .formatted(name));
    return KUBE.api().client().resources(Route.class).inNamespace(in).withName(name).get();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void aRepeatedWarningCountsUpOneEvent() {
    ProblemEvents events = new ProblemEvents(client, Clock.systemUTC(), "operator-0");

    for (int i = 0; i < 5; i++) {
      events.warn(route, NO_SERVICE);
    }

    List<Event> recorded = eventsOf(route);
    assertThat(recorded).hasSize(1);
    Event event = recorded.getFirst();
    assertThat(event.getCount()).isEqualTo(5);
    assertThat(event.getReason()).isEqualTo("BackendNotFound");
    assertThat(event.getMessage()).isEqualTo("Service orders not found");
    assertThat(Instant.parse(event.getLastTimestamp()))
        .isAfterOrEqualTo(Instant.parse(event.getFirstTimestamp()));
  }

  @Test
  void aWarningWhoseEventIsGoneStartsANewOne() {
    ProblemEvents events = new ProblemEvents(client, Clock.systemUTC(), "operator-0");
    events.warn(route, NO_SERVICE);
    // as the API server does when an Event outlives its TTL
    eventsOf(route).forEach(e -> KUBE.api().client().resource(e).delete());

    events.warn(route, NO_SERVICE);

    assertThat(eventsOf(route)).singleElement().extracting(Event::getCount).isEqualTo(1);
  }

  @Test
  void distinctWarningsAreDistinctEvents() {
    ProblemEvents events = new ProblemEvents(client, Clock.systemUTC(), "operator-0");

    events.warn(route, NO_SERVICE);
    events.warn(
        route, DesiredCondition.isFalse("Accepted", "Invalid", "spec.match.path: must start /"));
    events.warn(route, NO_SERVICE);

    assertThat(eventsOf(route))
        .extracting(Event::getReason, Event::getCount)
        .containsExactlyInAnyOrder(tuple("BackendNotFound", 2), tuple("Invalid", 1));
  }

  @Test
  void oneResourceGetsABoundedNumberOfEvents() {
    ProblemEvents events = new ProblemEvents(client, Clock.systemUTC(), "operator-0");

    for (int i = 0; i < 50; i++) {
      events.warn(
          route,
          DesiredCondition.isFalse("Accepted", "BackendNotFound", "Service s" + i + " gone"));
    }

    List<Event> recorded = eventsOf(route);
    assertThat(recorded).hasSize(ProblemEvents.MAX_EVENTS_PER_RESOURCE + 1);
    assertThat(recorded)
        .filteredOn(e -> e.getMessage().startsWith("(combined from similar events): "))
        .singleElement()
        .satisfies(
            combined -> {
              assertThat(combined.getCount()).isEqualTo(50 - ProblemEvents.MAX_EVENTS_PER_RESOURCE);
              assertThat(combined.getMessage()).endsWith("Service s49 gone");
            });
  }

  @Test
  void aWarningWhoseEventCreationHangsHoldsUpNoOtherResourcesWarning(@TempDir Path dir)
      throws Exception {
    String hungNamespace = KUBE.api().createNamespace("hung");
    Route hungRoute = createRoute(hungNamespace);
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean probed = new AtomicBoolean();
    PemPair pair = PemPair.create(dir, "localhost");
    HttpsServer webhook = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.setHttpsConfigurator(new HttpsConfigurator(sslContext(pair)));
    webhook.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    // holds the Events of the hung Route until released, as a policy engine that hangs does (up
    // to the API server's 30 s limit); answers any other Event at once
    webhook.createContext(
        "/events",
        exchange -> {
          JsonNode review = new ObjectMapper().readTree(exchange.getRequestBody());
          String about = review.at("/request/object/involvedObject/name").asText();
          if (about.equals(hungRoute.getMetadata().getName())) {
            arrived.countDown();
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          } else {
            probed.set(true);
          }
          byte[] answer =
              """
              {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
               "response":{"uid":"%s","allowed":true}}"""
                  .formatted(review.at("/request/uid").asText())
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    webhook.start();
    ValidatingWebhookConfiguration slowEvents =
        KUBE.api()
            .client()
            .getKubernetesSerialization()
            .unmarshal(
                """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingWebhookConfiguration
                metadata: {name: %1$s}
                webhooks:
                  - name: events.%1$s.test
                    clientConfig: {url: "https://localhost:%2$d/events", caBundle: %3$s}
                    rules:
                      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [events]}
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: %1$s}
                    sideEffects: None
                    admissionReviewVersions: [v1]
                    timeoutSeconds: 30
                    failurePolicy: Ignore
                """
                    .formatted(
                        hungNamespace, webhook.getAddress().getPort(), pair.certificateBase64()),
                ValidatingWebhookConfiguration.class);
    ProblemEvents events = new ProblemEvents(client, Clock.systemUTC(), "operator-0");
    try {
      KUBE.api().client().resource(slowEvents).create();
      // the API server takes up a new webhook configuration a moment after it is stored
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                KUBE.api()
                    .client()
                    .v1()
                    .events()
                    .inNamespace(hungNamespace)
                    .resource(probeEvent(hungNamespace))
                    .create();
                return probed.get();
              });
      CompletableFuture<Void> hung =
          CompletableFuture.runAsync(() -> events.warn(hungRoute, NO_SERVICE));
      assertThat(arrived.await(60, TimeUnit.SECONDS)).isTrue();

      events.warn(route, NO_SERVICE);

      assertThat(hung).as("the hung resource's Event creation is still held").isNotDone();
      assertThat(eventsOf(route)).singleElement().extracting(Event::getCount).isEqualTo(1);
      release.countDown();
      hung.get(60, TimeUnit.SECONDS);
      assertThat(eventsOf(hungRoute)).singleElement().extracting(Event::getCount).isEqualTo(1);
    } finally {
      release.countDown();
      KUBE.api().client().resource(slowEvents).delete();
      webhook.stop(0);
    }
  }

  private static Event probeEvent(String in) {
    return new EventBuilder()
        .withNewMetadata()
        .withGenerateName("probe-")
        .endMetadata()
        .withNewInvolvedObject()
        .withKind("ConfigMap")
        .withNamespace(in)
        .withName("probe")
        .endInvolvedObject()
        .withReason("Probe")
        .withMessage("is the webhook in place yet")
        .withType("Normal")
        .build();
  }

  /** Serves {@code pair} as it is: an EC key in PKCS#8 and its self-signed certificate. */
  private static SSLContext sslContext(PemPair pair) throws Exception {
    String keyBase64 = pair.key().replaceAll("-----[A-Z ]+-----|\\s", "");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "webhook",
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(keyBase64))),
        new char[0],
        new Certificate[] {
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pair.certificate().getBytes(StandardCharsets.US_ASCII)))
        });
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private List<Event> eventsOf(Route of) {
    String in = of.getMetadata().getNamespace();
    return KUBE.api().client().v1().events().inNamespace(in).list().getItems().stream()
        .filter(e -> of.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
        .toList();
  }
}
