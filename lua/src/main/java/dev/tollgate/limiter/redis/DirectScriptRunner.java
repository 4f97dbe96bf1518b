package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import dev.tollgate.redis.RedisBackoff;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs the limiter script on a standalone Redis (plain, or TLS as {@link SocketSecurity} allows)
 * over blocking sockets of its own, on the thread that sends the batch, and answers there: the
 * batch is written with one {@code write} from the request's virtual thread and its reply read by
 * that thread, so a decision crosses no event loop (Lettuce's path hands the write to its event
 * loop and completes every request from there: two wake-ups and a third more context switches per
 * limited request, benchmarks.md "a limiter that reads its own replies").
 *
 * <p>Sockets are pooled: the batcher keeps at most two batches out, so two sockets serve a gateway;
 * one that failed is closed (its reply stream may be out of step), and the next batch opens a new
 * one. A pooled socket that Redis closed while it waited (a restart, an idle timeout) is found
 * before a batch is written to it ({@link ScriptSocket#usable}) and closed. After a failed connect,
 * batches fail at once (DISCONNECTED) until a jittered, capped backoff has passed ({@link
 * RedisBackoff}), so a Redis that is down costs no connect per batch. When Redis lost the script
 * ({@code NOSCRIPT} after a restart or {@code SCRIPT FLUSH}) it is loaded again on the same socket
 * and the call retried once, unless a caller of the batch has given up meanwhile. When Redis
 * answers {@code READONLY} it has become a replica while its address stayed (a failover behind a
 * Service or a DNS name, which moves new connections only): that batch fails, and its socket and
 * every pooled one are closed, so the next batch connects anew and reaches the node the address
 * names now.
 */
final class DirectScriptRunner implements ScriptTransport, AutoCloseable {
  /** More than the batches a batcher keeps out; sockets beyond it are closed when given back. */
  static final int MAX_IDLE_SOCKETS = 4;

  private static final Executor OWN_VIRTUAL_THREAD =
      task -> Thread.ofVirtual().name("tollgate-limiter-call").start(task);

  private final RedisURI uri;
  private final SocketSecurity security;
  private final LimiterScript script;
  private final Duration connectTimeout;
  private final Duration batchConnectTimeout;
  private final long budgetNanos;
  private final Delay backoff;
  private final ConcurrentLinkedQueue<ScriptSocket> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final AtomicInteger failedConnects = new AtomicInteger();
  private volatile long retryAtNanos = System.nanoTime();
  private volatile boolean closed;

  /**
   * @param connectTimeout how long the first socket, opened at start, may take
   * @param batchConnectTimeout how long a socket opened for a batch may take: at least its budget
   *     (a gateway starved of CPU can read Redis's first answer on a new socket late)
   * @param budget how long a call may wait for Redis: the decision budget
   */
  DirectScriptRunner(
      RedisURI uri,
      LimiterScript script,
      Duration connectTimeout,
      Duration batchConnectTimeout,
      Duration budget,
      Duration maxReconnectDelay) {
    this.uri = uri;
    this.security = SocketSecurity.of(uri);
    this.script = script;
    this.connectTimeout = connectTimeout;
    this.batchConnectTimeout = batchConnectTimeout;
    this.budgetNanos = budget.toNanos();
    this.backoff = RedisBackoff.reconnectDelay(maxReconnectDelay);
  }

  /**
   * Opens the first socket now, so that a Redis that cannot be reached, refuses the credentials or
   * does not speak RESP fails the gateway's start, as Lettuce's connect does on the other paths.
   */
  void connect() throws IOException {
    giveBack(ScriptSocket.open(uri, security, connectTimeout));
  }

  @Override
  public CompletableFuture<Void> load() {
    try {
      ScriptSocket socket = take();
      try {
        loadOn(socket, System.nanoTime() + connectTimeout.toNanos());
        giveBack(socket);
        return CompletableFuture.completedFuture(null);
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Answers on the calling thread when it is a virtual thread and a pooled socket waits (a blocked
   * one costs a parked continuation, and its request waits for the decision anyway). A platform
   * thread's call, and one that must open a socket, run on a virtual thread of their own, so that
   * the caller gets its stage at once, as with Lettuce: a Redis that accepts connections but does
   * not answer (hung, paused) holds a new socket's handshake for the connect timeout, longer than
   * the budget, and on the caller's thread that wait would hold its request past the budget the
   * decision's deadline ends it at.
   */
  @Override
  public CompletableFuture<List<Object>> run(byte[][] keys, byte[][] argv, long sendByNanos) {
    if (Thread.currentThread().isVirtual() && idleCount.get() > 0) {
      return call(keys, argv, sendByNanos);
    }
    return CompletableFuture.supplyAsync(() -> call(keys, argv, sendByNanos), OWN_VIRTUAL_THREAD)
        .thenCompose(Function.identity());
  }

  private CompletableFuture<List<Object>> call(byte[][] keys, byte[][] argv, long sendByNanos) {
    long deadline = System.nanoTime() + budgetNanos;
    ScriptSocket socket;
    try {
      socket = take();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (System.nanoTime() - sendByNanos >= 0) {
      // A new socket took so long to open that a caller of the batch has applied its failure
      // mode, so the batch is not sent (it would charge that caller). The socket is sound.
      giveBack(socket);
      return CompletableFuture.failedFuture(BatchNotSentException.socketOpenedLate());
    }
    try {
      Object reply = socket.evalsha(script.sha1(), keys, argv, deadline);
      if (reply instanceof RespReader.Error error && error.noScript()) {
        loadOn(socket, deadline);
        if (System.nanoTime() - sendByNanos >= 0) {
          giveBack(socket); // NOSCRIPT ran nothing: the batch is not charged yet, nor sent again
          return CompletableFuture.failedFuture(BatchNotSentException.scriptLoadedLate());
        }
        reply = socket.evalsha(script.sha1(), keys, argv, deadline);
      }
      if (reply instanceof RespReader.Error error && error.readOnly()) {
        // every pooled socket went to the same address, and so to the same demoted node
        socket.close();
        closeIdle();
      } else {
        giveBack(socket);
      }
      return answer(reply);
    } catch (IOException | RuntimeException e) {
      socket.close();
      return CompletableFuture.failedFuture(e);
    }
  }

  private void loadOn(ScriptSocket socket, long deadline) throws IOException {
    Object digest = socket.scriptLoad(script.source(), deadline);
    if (!script.sha1().equals(digest)) {
      throw new IllegalStateException(
          "Redis loaded "
              + script.name()
              + " as "
              + describe(digest)
              + ", expected "
              + script.sha1());
    }
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<List<Object>> answer(Object reply) {
    if (reply instanceof List<?> values) {
      return CompletableFuture.completedFuture((List<Object>) values);
    }
    return CompletableFuture.failedFuture(
        new LimiterUnavailableException(Reason.REDIS_ERROR, describe(reply), null));
  }

  private ScriptSocket take() throws IOException {
    if (closed) {
      throw new LimiterUnavailableException(Reason.DISCONNECTED, "limiter closed", null);
    }
    ScriptSocket socket;
    while ((socket = idle.poll()) != null) {
      idleCount.decrementAndGet();
      if (socket.usable()) {
        return socket;
      }
      socket.close(); // Redis closed it while it waited in the pool
    }
    // only new connections wait for the backoff: pooled ones are tried, and closed if they fail
    if (System.nanoTime() - retryAtNanos < 0) {
      throw new LimiterUnavailableException(
          Reason.DISCONNECTED,
          "Redis unreachable at the last attempt; retrying after a backoff",
          null);
    }
    try {
      socket = ScriptSocket.open(uri, security, batchConnectTimeout);
      failedConnects.set(0);
      return socket;
    } catch (IOException e) {
      Duration wait = backoff.createDelay(failedConnects.incrementAndGet());
      retryAtNanos = System.nanoTime() + wait.toNanos();
      // a connect that times out means unreachable (DISCONNECTED), not a slow decision
      throw new IOException(
          "Redis at " + uri.getHost() + ":" + uri.getPort() + ": " + e.getMessage(), e);
    }
  }

  private void giveBack(ScriptSocket socket) {
    if (idleCount.incrementAndGet() > MAX_IDLE_SOCKETS) {
      idleCount.decrementAndGet();
      socket.close();
      return;
    }
    socket.idle();
    idle.add(socket);
    if (closed) {
      closeIdle(); // close() may have emptied the pool before this socket came back
    }
  }

  private void closeIdle() {
    ScriptSocket socket;
    while ((socket = idle.poll()) != null) {
      idleCount.decrementAndGet();
      socket.close();
    }
  }

  private static String describe(Object reply) {
    return reply instanceof RespReader.Error error ? error.message() : String.valueOf(reply);
  }

  @Override
  public void close() {
    closed = true;
    closeIdle();
  }
}
