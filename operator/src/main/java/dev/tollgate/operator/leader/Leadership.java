package dev.tollgate.operator.leader;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether this replica currently leads, and its leader epoch: the fencing token the snapshot writer
 * hands to Redis. The epoch is the Lease's {@code acquireTime} (epoch millis) when this replica
 * acquired it, so it grows with every change of leader even if the Lease object is deleted and
 * recreated (unlike {@code leaseTransitions}, which would restart at 0 and fence the new leader out
 * forever).
 */
public final class Leadership {
  private final List<Runnable> onStart = new CopyOnWriteArrayList<>();
  private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
  private volatile boolean leader;
  private volatile long epoch;

  /** Without leader election the single replica always leads, with epoch 0. */
  public static Leadership always() {
    Leadership leadership = new Leadership();
    leadership.leader = true;
    return leadership;
  }

  public boolean isLeader() {
    return leader;
  }

  public long epoch() {
    return epoch;
  }

  /** Runs {@code action} each time this replica becomes leader. */
  public void onStartLeading(Runnable action) {
    onStart.add(action);
  }

  /** Runs {@code action} each time this replica stops leading. */
  public void onStopLeading(Runnable action) {
    onStop.add(action);
  }

  void started(long acquiredEpoch) {
    epoch = acquiredEpoch;
    leader = true;
    onStart.forEach(Runnable::run);
  }

  /** Leadership lost (lease not renewed, or Redis refused our epoch as stale). */
  public void stopped() {
    boolean was = leader;
    leader = false;
    if (was) {
      onStop.forEach(Runnable::run);
    }
  }
}
