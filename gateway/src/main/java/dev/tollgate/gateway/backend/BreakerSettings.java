package dev.tollgate.gateway.backend;

import java.time.Duration;

/**
 * Circuit breaker parameters of a route ({@code spec.backend.circuitBreaker}).
 *
 * @param failureRatio percent of failed calls among the last {@code volume} that opens the circuit
 * @param volume size of the rolling window of calls
 * @param delay how long an open circuit stays open before a probe is let through
 */
public record BreakerSettings(int failureRatio, int volume, Duration delay) {
  public static final BreakerSettings DEFAULT = new BreakerSettings(50, 20, Duration.ofSeconds(10));

  public BreakerSettings {
    if (failureRatio < 1 || failureRatio > 100) {
      throw new IllegalArgumentException("failureRatio must be 1..100, was " + failureRatio);
    }
    if (volume < 1) {
      throw new IllegalArgumentException("volume must be >= 1, was " + volume);
    }
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("delay must be > 0, was " + delay);
    }
  }
}
