package dev.tollgate.operator.reconciler;

import dev.tollgate.operator.snapshot.SnapshotState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Set;

/**
 * Wakes every primary resource of a controller when {@link SnapshotState} changes (a new config
 * version was stored, or the set of versions the gateways serve changed), so {@code Programmed}
 * follows without each resource polling. Reconciles that find their status unchanged patch nothing.
 */
public final class SnapshotStateEventSource<P extends HasMetadata>
    extends AbstractEventSource<SnapshotState, P> {
  private final SnapshotState state;
  private final IndexerResourceCache<P> primaries;
  private final Runnable listener = this::wakeAll;

  public SnapshotStateEventSource(SnapshotState state, IndexerResourceCache<P> primaries) {
    super(SnapshotState.class, "snapshot-state");
    this.state = state;
    this.primaries = primaries;
  }

  @Override
  public void start() {
    super.start();
    state.addListener(listener);
  }

  @Override
  public void stop() {
    state.removeListener(listener);
    super.stop();
  }

  @Override
  public Set<SnapshotState> getSecondaryResources(P primary) {
    return Set.of();
  }

  private void wakeAll() {
    if (!isRunning()) {
      return;
    }
    primaries
        .list()
        .map(ResourceID::fromResource)
        .map(Event::new)
        .forEach(getEventHandler()::handleEvent);
  }
}
