package dev.tollgate.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.rules.ResourceId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapshotStateTest {
  private static final ResourceId ROUTE = ResourceId.route("shop", "orders");
  private static final ResourceId POLICY = ResourceId.policy("shop", "per-user");

  private final SnapshotState state = new SnapshotState();
  private final AtomicInteger notified = new AtomicInteger();

  {
    state.addListener(notified::incrementAndGet);
  }

  @Test
  void anUnchangedEntryKeepsTheVersionItFirstAppearedIn() {
    state.stored(4, Map.of(ROUTE, new SnapshotEntry("r1", 1), POLICY, new SnapshotEntry("p1", 1)));
    state.stored(5, Map.of(ROUTE, new SnapshotEntry("r1", 1), POLICY, new SnapshotEntry("p2", 2)));

    assertThat(state.versionContaining(ROUTE, 1)).hasValue(4);
    assertThat(state.versionContaining(POLICY, 2)).hasValue(5);
    assertThat(state.storedVersion()).isEqualTo(5);
  }

  @Test
  void hasNoVersionForAGenerationNotYetStored() {
    state.stored(4, Map.of(POLICY, new SnapshotEntry("p1", 1)));

    assertThat(state.versionContaining(POLICY, 2)).isEmpty();
    assertThat(state.versionContaining(ROUTE, 1)).isEmpty();
  }

  @Test
  void notifiesOnlyWhenSomethingChanged() {
    state.stored(4, Map.of(POLICY, new SnapshotEntry("p1", 1)));
    state.stored(4, Map.of(POLICY, new SnapshotEntry("p1", 1)));
    state.served(List.of(4L, 4L));
    state.served(List.of(4L, 4L));

    assertThat(notified).hasValue(2);
    assertThat(state.appliedCount(4).message()).isEqualTo("config v4 applied by 2/2 gateways");
  }

  @Test
  void remembersAFailingWriteUntilTheNextStoredVersion() {
    state.writeFailed("Connection refused");
    state.writeFailed("Connection refused");

    assertThat(state.writeError()).contains("Connection refused");
    assertThat(notified).hasValue(1);

    state.stored(1, Map.of(POLICY, new SnapshotEntry("p1", 1)));

    assertThat(state.writeError()).isEmpty();
    assertThat(notified).hasValue(2);
  }
}
