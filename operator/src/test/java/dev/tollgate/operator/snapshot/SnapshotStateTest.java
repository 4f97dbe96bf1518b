package dev.tollgate.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.feedback.FleetReport;
import dev.tollgate.rules.RejectionReport;
import dev.tollgate.rules.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapshotStateTest {
  private static final ResourceId ROUTE = ResourceId.route("shop", "orders");
  private static final ResourceId POLICY = ResourceId.policy("shop", "per-user");

  private final SnapshotState state = new SnapshotState();
  private final AtomicInteger notified = new AtomicInteger();
  private final List<StateChange> changes = new ArrayList<>();

  {
    state.addListener(
        change -> {
          notified.incrementAndGet();
          changes.add(change);
        });
  }

  @Test
  void anUnchangedEntryKeepsTheVersionItFirstAppearedIn() {
    state.stored(
        4,
        Map.of(
            ROUTE,
            new SnapshotEntry("r1", "route-uid", 1),
            POLICY,
            new SnapshotEntry("p1", "policy-uid", 1)));
    state.stored(
        5,
        Map.of(
            ROUTE,
            new SnapshotEntry("r1", "route-uid", 1),
            POLICY,
            new SnapshotEntry("p2", "policy-uid", 2)));

    assertThat(state.versionContaining(ROUTE, "route-uid", 1)).hasValue(4);
    assertThat(state.versionContaining(POLICY, "policy-uid", 2)).hasValue(5);
    assertThat(state.storedVersion()).isEqualTo(5);
  }

  @Test
  void isKnownOnceRedisWasHeardFromAndTheFirstWordWakesEveryResource() {
    assertThat(state.known()).isFalse();

    state.stored(4, Map.of(POLICY, new SnapshotEntry("p1", "policy-uid", 1)));
    state.stored(5, Map.of(ROUTE, new SnapshotEntry("r1", "route-uid", 1)));

    assertThat(state.known()).isTrue();
    // also the resources the snapshot leaves out, whose reconciles waited for it
    assertThat(changes.getFirst()).isEqualTo(StateChange.EVERYTHING);
    assertThat(changes.get(1).all()).isFalse();
  }

  @Test
  void aFailedWriteIsAlsoWordFromRedis() {
    state.writeFailed("connection refused");

    assertThat(state.known()).isTrue();
    assertThat(changes).containsExactly(StateChange.EVERYTHING);
  }

  @Test
  void hasNoVersionForAGenerationNotYetStored() {
    state.stored(4, Map.of(POLICY, new SnapshotEntry("p1", "policy-uid", 1)));

    assertThat(state.versionContaining(POLICY, "policy-uid", 2)).isEmpty();
    assertThat(state.versionContaining(ROUTE, "route-uid", 1)).isEmpty();
  }

  @Test
  void theEntryOfAnEarlierObjectOfTheSameNameIsNotTheNewOnes() {
    state.stored(4, Map.of(POLICY, new SnapshotEntry("p1", "policy-uid", 3)));

    assertThat(state.versionContaining(POLICY, "policy-created-again-uid", 1)).isEmpty();
  }

  @Test
  void notifiesOnlyWhenSomethingChanged() {
    state.stored(4, Map.of(POLICY, new SnapshotEntry("p1", "policy-uid", 1)));
    state.stored(4, Map.of(POLICY, new SnapshotEntry("p1", "policy-uid", 1)));
    state.served(new FleetReport(List.of(4L, 4L), List.of()));
    state.served(new FleetReport(List.of(4L, 4L), List.of()));

    assertThat(notified).hasValue(2);
    assertThat(state.appliedCount(POLICY, 4).message())
        .isEqualTo("config v4 applied by 2/2 gateways");
  }

  @Test
  void countsTheGatewaysThatLeftAResourceOutOfTheVersionTheyServe() {
    RejectionReport refusesPolicy = new RejectionReport(Map.of(POLICY, "spec.limits[0]: nope"));
    state.stored(4, Map.of(POLICY, new SnapshotEntry("p1", "policy-uid", 1)));
    state.served(
        new FleetReport(
            List.of(3L, 4L, 4L),
            List.of(
                new FleetReport.Rejections(4, refusesPolicy),
                // a pod still on an older version refused an older entry: not counted
                new FleetReport.Rejections(3, refusesPolicy))));

    assertThat(state.appliedCount(POLICY, 4).message())
        .isEqualTo(
            "config v4 refused by 1/3 gateways: spec.limits[0]: nope (applied by 1/3 gateways)");
    assertThat(state.appliedCount(ROUTE, 4).message())
        .isEqualTo("config v4 applied by 2/3 gateways");
  }

  @Test
  void namesOnlyTheResourcesAChangeConcerns() {
    state.stored(
        4,
        Map.of(
            ROUTE,
            new SnapshotEntry("r1", "route-uid", 1),
            POLICY,
            new SnapshotEntry("p1", "policy-uid", 1)));
    state.served(new FleetReport(List.of(4L, 4L), List.of()));
    changes.clear();

    // An edit of the policy: only the policy, when stored and when the gateways reach it.
    state.stored(
        5,
        Map.of(
            ROUTE,
            new SnapshotEntry("r1", "route-uid", 1),
            POLICY,
            new SnapshotEntry("p2", "policy-uid", 2)));
    state.served(new FleetReport(List.of(4L, 5L), List.of()));
    state.served(new FleetReport(List.of(5L, 5L), List.of()));
    // A gateway more: every count changes.
    state.served(new FleetReport(List.of(5L, 5L, 5L), List.of()));

    assertThat(changes)
        .containsExactly(
            StateChange.of(Set.of(POLICY)),
            StateChange.of(Set.of(POLICY)),
            StateChange.of(Set.of(POLICY)),
            StateChange.EVERYTHING);
  }

  @Test
  void remembersAFailingWriteUntilTheNextStoredVersion() {
    state.writeFailed("Connection refused");
    state.writeFailed("Connection refused");

    assertThat(state.writeError()).contains("Connection refused");
    assertThat(notified).hasValue(1);

    state.stored(1, Map.of(POLICY, new SnapshotEntry("p1", "policy-uid", 1)));

    assertThat(state.writeError()).isEmpty();
    assertThat(notified).hasValue(2);
  }
}
