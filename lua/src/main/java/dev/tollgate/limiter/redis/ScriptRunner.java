package dev.tollgate.limiter.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Runs the limiter script with {@code EVALSHA} on the shared connection. The script is loaded once
 * ({@code SCRIPT LOAD}, on every cluster node); when Redis has lost it ({@code NOSCRIPT} after a
 * restart, failover or {@code SCRIPT FLUSH}) it is loaded again and the call retried once, so the
 * caller never sees the loss (unless it gave up while the script was loaded).
 *
 * <p>Keys and arguments go as bytes (Lettuce's {@code ByteArrayCodec}): its string codec encodes
 * character by character, which took a quarter of the engine's CPU per batched decision.
 */
final class ScriptRunner implements ScriptTransport {
  private final RedisScriptingAsyncCommands<byte[], byte[]> commands;
  private final LimiterScript script;

  ScriptRunner(RedisScriptingAsyncCommands<byte[], byte[]> commands, LimiterScript script) {
    this.commands = commands;
    this.script = script;
  }

  @Override
  public CompletableFuture<Void> load() {
    return commands
        .scriptLoad(script.source())
        .toCompletableFuture()
        .thenAccept(
            sha -> {
              if (!script.sha1().equals(sha)) {
                throw new IllegalStateException(
                    "Redis loaded " + script.name() + " as " + sha + ", expected " + script.sha1());
              }
            });
  }

  /**
   * Lettuce writes the command on its connection at once, or rejects it while disconnected ({@code
   * LettuceOptions}): nothing waits before the first write. {@code sendByNanos} matters after a
   * {@code NOSCRIPT}: a call whose caller gave up while the script was loaded again is not sent.
   */
  @Override
  public CompletableFuture<List<Object>> run(byte[][] keys, byte[][] argv, long sendByNanos) {
    return evalsha(keys, argv)
        .exceptionallyCompose(
            failure ->
                unwrap(failure) instanceof RedisNoScriptException
                    ? load().thenCompose(loaded -> evalshaBy(keys, argv, sendByNanos))
                    : CompletableFuture.failedFuture(unwrap(failure)));
  }

  private CompletableFuture<List<Object>> evalshaBy(byte[][] keys, byte[][] argv, long sendBy) {
    if (System.nanoTime() - sendBy >= 0) {
      return CompletableFuture.failedFuture(BatchNotSentException.scriptLoadedLate());
    }
    return evalsha(keys, argv);
  }

  private CompletableFuture<List<Object>> evalsha(byte[][] keys, byte[][] argv) {
    return commands
        .<List<Object>>evalsha(script.sha1(), ScriptOutputType.MULTI, keys, argv)
        .toCompletableFuture();
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
