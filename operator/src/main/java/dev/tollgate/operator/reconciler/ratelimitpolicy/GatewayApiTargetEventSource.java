package dev.tollgate.operator.reconciler.ratelimitpolicy;

import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.operator.cluster.ClusterChange;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Wakes the policies that target an HTTPRoute or a Gateway when the snapshot's informers see it
 * change (appear, change its rules, go), so a policy's {@code Accepted} follows these targets as it
 * follows Routes (which JOSDK's own informer reports). It reuses those informers rather than adding
 * a second cache of every HTTPRoute and Gateway. Changes seen before JOSDK starts it are dropped:
 * every policy is reconciled at start.
 */
public final class GatewayApiTargetEventSource
    extends AbstractEventSource<ClusterChange, RateLimitPolicy> implements Consumer<ClusterChange> {
  // set when the reconciler prepares its event sources, before JOSDK starts this one
  private volatile PolicyTargetIndex index;

  public GatewayApiTargetEventSource() {
    super(ClusterChange.class, "gateway-api-targets");
  }

  void use(PolicyTargetIndex index) {
    this.index = index;
  }

  @Override
  public void accept(ClusterChange change) {
    if (!isRunning() || change.namespace() == null) {
      return;
    }
    // GATEWAY_API also reports GatewayClasses, ReferenceGrants and Namespaces; one that shares a
    // Gateway's name wakes its policies for nothing (their status stays as it is)
    Set<ResourceID> woken =
        switch (change.kind()) {
          case HTTP_ROUTE ->
              index.targeting(TargetRef.Kind.HTTP_ROUTE, change.namespace(), change.name());
          case GATEWAY_API ->
              index.targeting(TargetRef.Kind.GATEWAY, change.namespace(), change.name());
          default -> Set.of();
        };
    woken.forEach(id -> getEventHandler().handleEvent(new Event(id)));
  }

  @Override
  public Set<ClusterChange> getSecondaryResources(RateLimitPolicy primary) {
    return Set.of();
  }
}
