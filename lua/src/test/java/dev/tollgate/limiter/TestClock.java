package dev.tollgate.limiter;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand, in microseconds, shared by the Lua test clock and the twins. */
public final class TestClock implements InstantSource {
  private final AtomicLong micros;

  public TestClock(long startMicros) {
    this.micros = new AtomicLong(startMicros);
  }

  /**
   * A clock on a whole minute a day ahead of the present. Ahead, because the script sets absolute
   * expiry times (PEXPIREAT) from the time it is given, and Redis deletes a key at once whose
   * expiry lies in its real past; a day ahead, no test run reaches them.
   */
  public static TestClock aDayAhead() {
    long micros = (Instant.now().getEpochSecond() + 86_400) * 1_000_000;
    return new TestClock(micros - micros % 60_000_000);
  }

  public long micros() {
    return micros.get();
  }

  public void advance(Duration duration) {
    advanceMicros(duration.toNanos() / 1_000);
  }

  public void advanceMicros(long delta) {
    micros.addAndGet(delta);
  }

  /** The clock argument the test-only Lua clock reads. */
  public String argument() {
    return Long.toString(micros.get());
  }

  @Override
  public Instant instant() {
    long now = micros.get();
    return Instant.ofEpochSecond(now / 1_000_000, (now % 1_000_000) * 1_000);
  }
}
