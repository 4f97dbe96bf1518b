package dev.tollgate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.operator.it.OperatorFixture;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
  void createRoute() {
    Config config = KUBE.api().clientConfig();
    config.setImpersonateUsername("system:serviceaccount:" + namespace + ":tollgate-operator");
    client = new KubernetesClientBuilder().withConfig(config).build();
    String name = "orders-" + System.nanoTime();
    OperatorFixture.apply(
        KUBE.api(),
        namespace,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: %s}
        spec:
          match: {pathPrefix: /orders}
          backend: {service: {name: orders, port: 8080}}
        """
            .formatted(name));
    route = KUBE.api().client().resources(Route.class).inNamespace(namespace).withName(name).get();
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

  private List<Event> eventsOf(Route of) {
    return KUBE.api().client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> of.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
        .toList();
  }
}
