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

  CompletableFuture<List<Object>> run(byte[][] keys, byte[][] argv);
}
