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

  /** A clock at a whole second around the present, like Redis TIME would give. */
  public static TestClock aroundNow() {
    return new TestClock(Instant.now().getEpochSecond() * 1_000_000);
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
