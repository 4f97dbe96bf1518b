package dev.tollgate.operator.reconciler;

import dev.tollgate.operator.status.DesiredCondition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a Kubernetes Warning Event (core/v1, visible in {@code kubectl describe} and {@code
 * kubectl get events}) when a resource's condition turns into a problem. Reconcilers call it only
 * on a transition, so a Route that stays without endpoints does not produce an Event per reconcile.
 * Failing to record an Event never fails the reconcile.
 */
public final class ProblemEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemEvents.class);
  private static final String COMPONENT = "tollgate-operator";

  private final KubernetesClient client;
  private final Clock clock;
  private final String reportingInstance;

  public ProblemEvents(KubernetesClient client, Clock clock, String reportingInstance) {
    this.client = client;
    this.clock = clock;
    this.reportingInstance = reportingInstance;
  }

  public void warn(HasMetadata resource, DesiredCondition condition) {
    String now = clock.instant().toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(resource.getMetadata().getNamespace())
            .withName(
                resource.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
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
            .withReason(condition.reason())
            .withMessage(condition.message())
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(reportingInstance)
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(resource.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot record event {} for {}: {}",
          condition.reason(),
          resource.getMetadata().getName(),
          e.getMessage());
    }
  }
}
