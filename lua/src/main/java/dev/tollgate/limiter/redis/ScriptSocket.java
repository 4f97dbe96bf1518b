package dev.tollgate.limiter.redis;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One blocking connection to a standalone Redis (plain or TLS), used by one batch at a time:
 * authenticated and on its database when opened, then one command and its reply per call, each read
 * bounded by the caller's deadline. After any {@link IOException} (a timeout included) the reply
 * stream may be out of step with the commands, so the socket must be closed, never reused.
 */
final class ScriptSocket implements AutoCloseable {
  private static final int READ_BUFFER = 8192;
  private static final long PROBE_AFTER_IDLE_NANOS = 1_000_000;

  private final SocketChannel channel;
  private final Socket socket;
  private final OutputStream out;
  private final RespReader reader;
  private final RespWriter writer = new RespWriter();
  private final ByteBuffer probe = ByteBuffer.allocate(1);
  private long idleSinceNanos;

  /**
   * @param channel the TCP connection, kept to look at it without blocking ({@link #usable})
   * @param socket {@code channel}'s socket, or TLS layered over it
   */
  private ScriptSocket(SocketChannel channel, Socket socket) throws IOException {
    this.channel = channel;
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.reader = new RespReader(new BufferedInputStream(socket.getInputStream(), READ_BUFFER));
  }

  /**
   * Connects (with TLS when the URI asks for it), authenticates (when the URI carries credentials)
   * and selects the URI's database, within {@code timeout}.
   */
  static ScriptSocket open(RedisURI uri, SocketSecurity security, Duration timeout)
      throws IOException {
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    SocketChannel channel = SocketChannel.open();
    try {
      Socket socket = channel.socket();
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      socket.connect(
          new InetSocketAddress(uri.getHost(), uri.getPort()), Math.toIntExact(timeout.toMillis()));
      socket = security.secure(socket, uri, Duration.ofNanos(deadlineNanos - System.nanoTime()));
      ScriptSocket opened = new ScriptSocket(channel, socket);
      opened.handshake(uri, deadlineNanos);
      return opened;
    } catch (SocketTimeoutException e) {
      channel.close();
      SocketTimeoutException named =
          new SocketTimeoutException(
              "not connected within " + timeout.toMillis() + " ms (" + e.getMessage() + ")");
      named.initCause(e);
      throw named;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Marks the socket idle: it goes back to the pool. */
  void idle() {
    idleSinceNanos = System.nanoTime();
  }

  /**
   * Whether this idle socket can still carry a call: Redis has not closed it (a restart, a failover
   * behind a Service, an idle timeout) and has sent nothing unasked. Looked at with one read that
   * does not block, before a batch is written: a batch written to a closed socket would fail whole,
   * and could not be sent again (Redis might have run it). A socket idle for less than a
   * millisecond is in steady use and not looked at (three system calls per batch saved): a Redis
   * that closed it since is still down, and the batch would fail either way.
   */
  boolean usable() {
    if (System.nanoTime() - idleSinceNanos < PROBE_AFTER_IDLE_NANOS) {
      return true;
    }
    try {
      channel.configureBlocking(false);
      try {
        return channel.read(probe.clear()) == 0;
      } finally {
        channel.configureBlocking(true);
      }
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Every new socket gets at least one answer before it is used (PING when there is nothing to
   * authenticate or select), so a peer that is not Redis is found when connecting, not by a batch.
   */
  private void handshake(RedisURI uri, long deadlineNanos) throws IOException {
    RedisCredentials credentials =
        uri.getCredentialsProvider()
            .resolveCredentials()
            .block(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
    if (credentials != null && credentials.hasPassword()) {
      byte[] password = utf8(credentials.getPassword());
      if (credentials.hasUsername()) {
        writer.command(3).bulk("AUTH").bulk(utf8(credentials.getUsername())).bulk(password);
      } else {
        writer.command(2).bulk("AUTH").bulk(password);
      }
      expect("AUTH", "OK", call(deadlineNanos));
    }
    if (uri.getDatabase() != 0) {
      writer.command(2).bulk("SELECT").bulk(Integer.toString(uri.getDatabase()));
      expect("SELECT", "OK", call(deadlineNanos));
    } else if (credentials == null || !credentials.hasPassword()) {
      writer.command(1).bulk("PING");
      expect("PING", "PONG", call(deadlineNanos));
    }
  }

  /** The script's reply, or a {@link RespReader.Error} (NOSCRIPT when Redis lost it). */
  Object evalsha(String sha1, byte[][] keys, byte[][] argv, long deadlineNanos) throws IOException {
    writer.command(3 + keys.length + argv.length).bulk("EVALSHA").bulk(sha1);
    writer.bulk(Integer.toString(keys.length));
    for (byte[] key : keys) {
      writer.bulk(key);
    }
    for (byte[] arg : argv) {
      writer.bulk(arg);
    }
    return call(deadlineNanos);
  }

  /** The digest Redis computed, or a {@link RespReader.Error}. */
  Object scriptLoad(String source, long deadlineNanos) throws IOException {
    writer.command(3).bulk("SCRIPT").bulk("LOAD").bulk(source.getBytes(StandardCharsets.UTF_8));
    Object reply = call(deadlineNanos);
    return reply instanceof byte[] digest ? new String(digest, StandardCharsets.US_ASCII) : reply;
  }

  private Object call(long deadlineNanos) throws IOException {
    writer.writeTo(out);
    // Redis needs a round trip to answer; a read now would find nothing, re-arm the JDK's poller
    // and park until its thread wakes this one. After the carrier's other virtual threads had
    // their turn the reply is usually there (benchmarks.md, "a limiter that reads its own
    // replies").
    Thread.yield();
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("no reply within the decision budget");
    }
    socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    return reader.read();
  }

  private static void expect(String command, String answer, Object reply) throws IOException {
    if (!answer.equals(reply)) {
      // never the command's arguments: AUTH carries the password
      throw new IOException(
          command
              + " refused: "
              + (reply instanceof RespReader.Error error ? error.message() : reply));
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] utf8(char[] text) {
    var encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    return bytes;
  }

  @Override
  public void close() {
    try {
      socket.close();
      channel.close();
    } catch (IOException e) {
      // closing a socket that failed: nothing left to release
    }
  }
}
