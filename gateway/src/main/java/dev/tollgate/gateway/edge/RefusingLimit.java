package dev.tollgate.gateway.edge;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.concurrency.limits.LimitAlgorithm;
import java.util.Optional;

/**
 * A request limit with no permits: Helidon answers every request under it with 503 and closes the
 * connection. Given to connections over the connection cap.
 */
final class RefusingLimit implements Limit {
  static final RefusingLimit INSTANCE = new RefusingLimit();

  private RefusingLimit() {}

  @Override
  public Outcome tryAcquireOutcome(boolean wait) {
    return LimitAlgorithm.Outcome.immediateRejection(name(), type());
  }

  @SuppressWarnings("removal") // abstract in Helidon 4.3; tryAcquireOutcome is what it calls
  @Override
  public Optional<Token> tryAcquire() {
    return Optional.empty();
  }

  @SuppressWarnings("removal")
  @Override
  public Optional<Token> tryAcquire(boolean wait) {
    return Optional.empty();
  }

  @Override
  public Limit copy() {
    return this;
  }

  @Override
  public String name() {
    return "connection-cap";
  }

  @Override
  public String type() {
    return "refusing";
  }
}
