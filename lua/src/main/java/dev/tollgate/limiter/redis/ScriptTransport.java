package dev.tollgate.limiter.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How the limiter script reaches Redis: loaded once, then run with {@code EVALSHA}, loading it
 * again when Redis lost it. A transport may answer on the calling thread (the returned stage is
 * then complete) or later from another.
 */
interface ScriptTransport {
  /** Loads the script; completes exceptionally if Redis computed another digest. */
  CompletableFuture<Void> load();

  /**
   * @param sendByNanos {@link System#nanoTime()} after which the call must not be sent (its caller,
   *     or the earliest of a batch's callers, has applied its failure mode, so it must not be
   *     charged): a transport that finds it passed before it writes the call (a socket that opened
   *     late, the script loaded again after {@code NOSCRIPT}) fails the call with a {@link
   *     BatchNotSentException}
   */
  CompletableFuture<List<Object>> run(byte[][] keys, byte[][] argv, long sendByNanos);
}
