package dev.tollgate.operator.reconciler;

import dev.tollgate.operator.snapshot.SnapshotState;
import dev.tollgate.operator.snapshot.StateChange;
import dev.tollgate.rules.ResourceId;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Wakes the primary resources of a controller whose {@code Programmed} condition a change of the
 * {@link SnapshotState} concerns (a new config version was stored, the versions the gateways serve
 * moved), so {@code Programmed} follows without each resource polling; only when the change
 * concerns everything (writes failing, a gateway coming or going) are all woken. Reconciles that
 * find their status unchanged patch nothing.
 */
public final class SnapshotStateEventSource<P extends HasMetadata>
    extends AbstractEventSource<SnapshotState, P> {
  private final SnapshotState state;
  private final IndexerResourceCache<P> primaries;
  private final ResourceId.Kind kind;
  private final Consumer<StateChange> listener = this::wake;

  /**
   * @param kind the kind of the controller's primaries, to pick the resources a change names
   */
  public SnapshotStateEventSource(
      SnapshotState state, IndexerResourceCache<P> primaries, ResourceId.Kind kind) {
    super(SnapshotState.class, "snapshot-state");
    this.state = state;
    this.primaries = primaries;
    this.kind = kind;
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

  private void wake(StateChange change) {
    if (!isRunning()) {
      return;
    }
    Stream<ResourceID> woken =
        change.all()
            ? primaries.list().map(ResourceID::fromResource)
            : change.resources().stream()
                .filter(id -> id.kind() == kind)
                .map(id -> new ResourceID(id.name(), id.namespace()))
                .filter(id -> primaries.get(id).isPresent());
    woken.map(Event::new).forEach(getEventHandler()::handleEvent);
  }
}
