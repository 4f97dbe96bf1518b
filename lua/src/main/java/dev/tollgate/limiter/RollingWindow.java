package dev.tollgate.limiter;

import java.time.Duration;
import java.util.Objects;

/**
 * A period that starts anew with every request's own time: {@code rate.period} of a policy. Its
 * range is checked by {@link LimitDefinition}, which names the limit in the message.
 */
public record RollingWindow(Duration period) implements Window {
  public RollingWindow {
    Objects.requireNonNull(period, "period: must be set");
  }

  public long periodMicros() {
    return period.toNanos() / 1_000;
  }

  @Override
  public long lengthMicrosAt(long nowMicros) {
    return periodMicros();
  }

  @Override
  public String toString() {
    return period.toString();
  }
}
