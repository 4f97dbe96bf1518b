package dev.tollgate.redis;

import io.lettuce.core.resource.EpollProvider;
import io.netty.channel.epoll.Epoll;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network transport under every Redis connection. Lettuce takes Netty's native epoll transport
 * when it loads, else Java NIO. On Linux x86-64 epoll is on the class path and serves rate-limited
 * requests a little faster than NIO (docs/benchmarks.md, "epoll transport"); Netty unpacks its
 * library into {@code java.io.tmpdir} first, so a process without a writable, executable temporary
 * directory silently falls back to NIO. Said once per process, so that such a fallback shows in the
 * log.
 */
enum RedisTransport {
  EPOLL,
  NIO;

  private static final Logger LOG = LoggerFactory.getLogger(RedisTransport.class);
  private static final AtomicBoolean TOLD = new AtomicBoolean();

  /** The transport Lettuce's connections use in this process. */
  static RedisTransport current() {
    return EpollProvider.isAvailable() ? EPOLL : NIO;
  }

  /** Logs the transport the first time a process connects; later calls do nothing. */
  static void tellOnce() {
    if (!TOLD.compareAndSet(false, true)) {
      return;
    }
    if (current() == EPOLL) {
      LOG.info("Redis connections use the epoll transport");
    } else if (isLinuxX86()) {
      LOG.warn(
          "Redis connections use the NIO transport: epoll did not load ({}); give the process a"
              + " writable, executable java.io.tmpdir",
          Epoll.unavailabilityCause().toString());
    } else {
      LOG.info("Redis connections use the NIO transport (epoll ships for Linux x86-64 only)");
    }
  }

  static boolean isLinuxX86() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }
}
