package dev.tollgate.limiter.redis;

import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * The two clocks a script call involves: the argument the script's clock fragment reads (ignored by
 * the production fragment, which reads Redis TIME), and this process's clock, around which calendar
 * windows compute the boundaries they send. Tests pass one virtual clock as both.
 */
record ScriptClock(Supplier<String> argument, InstantSource local) {
  /** Production: time from Redis TIME, boundaries around the system clock. */
  static final ScriptClock REDIS_TIME = new ScriptClock(() -> "", InstantSource.system());

  long localMicros() {
    Instant now = local.instant();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }
}
