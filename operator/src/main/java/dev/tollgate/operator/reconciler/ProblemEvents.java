package dev.tollgate.operator.reconciler;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.operator.status.DesiredCondition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a Kubernetes Warning Event (core/v1, visible in {@code kubectl describe} and {@code
 * kubectl get events}) when a resource's condition turns into a problem. Reconcilers call it only
 * on a transition, so a Route that stays without endpoints does not produce an Event per reconcile.
 * Failing to record an Event never fails the reconcile.
 *
 * <p>Aggregated as Kubernetes' own recorders do: the same reason and message on the same resource
 * again (a backend that flaps) counts up the Event already recorded ({@code count}, {@code
 * lastTimestamp}) rather than creating another. A resource gets at most {@link
 * #MAX_EVENTS_PER_RESOURCE} new Events per {@link #BUDGET_WINDOW}; past that, its warnings of one
 * reason count up a single Event whose message says it combines them and shows the latest. The
 * Events this replica recorded are remembered for {@link #EVENT_TTL} (the API server's default
 * Event lifetime) and forgotten on restart, when the next warning starts a new Event.
 */
public final class ProblemEvents {
  /** New Event objects one resource may get per {@link #BUDGET_WINDOW} (client-go's figures). */
  public static final int MAX_EVENTS_PER_RESOURCE = 10;

  private static final Duration BUDGET_WINDOW = Duration.ofMinutes(10);
  private static final Duration EVENT_TTL = Duration.ofHours(1);
  private static final String COMBINED = "(combined from similar events): ";

  private static final Logger LOG = LoggerFactory.getLogger(ProblemEvents.class);
  private static final String COMPONENT = "tollgate-operator";
  private static final long MAX_REMEMBERED = 10_000;

  private final KubernetesClient client;
  private final Clock clock;
  private final String reportingInstance;
  private final Cache<Key, Recorded> recorded =
      Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).expireAfterWrite(EVENT_TTL).build();
  // written once per entry, so an entry expires BUDGET_WINDOW after the first Event it counts
  private final Cache<String, AtomicInteger> createdPerResource =
      Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).expireAfterWrite(BUDGET_WINDOW).build();

  // One lock per resource: reconcilers run in parallel and two threads must not both create the
  // Event of one key, but a warning whose API call hangs (an admission webhook on Events in its
  // namespace) must not hold up the warnings of other resources. Weak values: a resource's lock
  // lives while a thread holds it, and the same object is handed out until then.
  private final Cache<String, Object> locks = Caffeine.newBuilder().weakValues().build();

  /** What makes two warnings the same Event; {@code message} null for the combined one. */
  private record Key(String uid, String reason, String message) {}

  /** An Event in the API server: its name and how often it has been recorded. */
  private record Recorded(String name, int count) {}

  public ProblemEvents(KubernetesClient client, Clock clock, String reportingInstance) {
    this.client = client;
    this.clock = clock;
    this.reportingInstance = reportingInstance;
  }

  public void warn(HasMetadata resource, DesiredCondition condition) {
    String uid = resource.getMetadata().getUid();
    synchronized (locks.get(uid, u -> new Object())) {
      warnLocked(resource, uid, condition);
    }
  }

  private void warnLocked(HasMetadata resource, String uid, DesiredCondition condition) {
    Key key = new Key(uid, condition.reason(), condition.message());
    String message = condition.message();
    if (recorded.getIfPresent(key) == null && budgetSpent(uid)) {
      key = new Key(uid, condition.reason(), null);
      message = COMBINED + condition.message();
    }
    String now = clock.instant().toString();
    try {
      Recorded previous = recorded.getIfPresent(key);
      if (previous == null || !countUp(resource, previous, message, now)) {
        recorded.put(key, create(resource, condition.reason(), message, now));
        createdPerResource.get(uid, u -> new AtomicInteger()).incrementAndGet();
      } else {
        recorded.put(key, new Recorded(previous.name(), previous.count() + 1));
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot record event {} for {}: {}",
          condition.reason(),
          resource.getMetadata().getName(),
          e.getMessage());
    }
  }

  private boolean budgetSpent(String uid) {
    AtomicInteger created = createdPerResource.getIfPresent(uid);
    return created != null && created.get() >= MAX_EVENTS_PER_RESOURCE;
  }

  /** Counts up an Event; false when the API server no longer has it (expired or deleted). */
  private boolean countUp(HasMetadata resource, Recorded event, String message, String now) {
    // a merge patch of only what changes: Fabric8 sends the given object as is, with no read of
    // the Event first (so no RBAC to read Events either)
    var changes =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(resource.getMetadata().getNamespace())
            .withName(event.name())
            .endMetadata()
            .withCount(event.count() + 1)
            .withLastTimestamp(now)
            .withMessage(message)
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(resource.getMetadata().getNamespace())
          .resource(changes)
          .patch(PatchContext.of(PatchType.JSON_MERGE));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private Recorded create(HasMetadata resource, String reason, String message, String now) {
    String name =
        resource.getMetadata().getName()
            + "."
            + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(resource.getMetadata().getNamespace())
            .withName(name)
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(resource.getApiVersion())
            .withKind(resource.getKind())
            .withNamespace(resource.getMetadata().getNamespace())
            .withName(resource.getMetadata().getName())
            .withUid(resource.getMetadata().getUid())
            .withResourceVersion(resource.getMetadata().getResourceVersion())
            .endInvolvedObject()
            .withType("Warning")
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(reportingInstance)
            .build();
    client
        .v1()
        .events()
        .inNamespace(resource.getMetadata().getNamespace())
        .resource(event)
        .create();
    return new Recorded(name, 1);
  }
}
