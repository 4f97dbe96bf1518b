package dev.tollgate.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Caps the warnings each logger of Helidon's web server writes at {@value #PER_WINDOW} a minute.
 * Some of them are the client's doing: an HTTP/2 request whose method is no token, for one, is
 * logged with a stack trace of some forty lines before the connection is closed, so a client
 * opening connections in a loop could write megabytes of log a second and bury every other line.
 * The first warning over the cap says that more are suppressed; the first one after the minute says
 * how many were. Errors, and every other logger, pass untouched.
 */
public final class ServerWarningCap extends TurboFilter {
  static final int PER_WINDOW = 10;
  static final Duration WINDOW = Duration.ofMinutes(1);
  private static final String SERVER_LOGGERS = "io.helidon.";

  private final LongSupplier nanoClock;
  // one entry per logger of the server's own classes: a fixed, small set
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param nanoClock {@link System#nanoTime} outside tests
   */
  ServerWarningCap(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // format and throwable are both null when the caller only asks whether WARN is enabled
    if (level != Level.WARN
        || (format == null && t == null)
        || !logger.getName().startsWith(SERVER_LOGGERS)) {
      return FilterReply.NEUTRAL;
    }
    Window window = windows.computeIfAbsent(logger.getName(), name -> new Window());
    Admission admission = window.admit(nanoClock.getAsLong());
    // the notices go through this filter too, under a logger it lets pass
    Logger notices = logger.getLoggerContext().getLogger(ServerWarningCap.class);
    if (admission.suppressedBefore() > 0) {
      notices.warn(
          "{} more warnings of {} were suppressed in the minute before",
          admission.suppressedBefore(),
          logger.getName());
    }
    if (admission.firstSuppressed()) {
      notices.warn(
          "{} wrote {} warnings within a minute; more are suppressed for the rest of it",
          logger.getName(),
          PER_WINDOW);
    }
    return admission.admitted() ? FilterReply.NEUTRAL : FilterReply.DENY;
  }

  /**
   * @param suppressedBefore warnings suppressed in the window that just ended (0 while in one)
   * @param firstSuppressed whether this is the first warning over the cap in its window
   */
  private record Admission(boolean admitted, int suppressedBefore, boolean firstSuppressed) {}

  private static final class Window {
    private long startNanos;
    private int seen;
    private boolean started;

    synchronized Admission admit(long now) {
      int suppressedBefore = 0;
      if (!started || now - startNanos >= WINDOW.toNanos()) {
        suppressedBefore = Math.max(0, seen - PER_WINDOW);
        started = true;
        startNanos = now;
        seen = 0;
      }
      seen++;
      return new Admission(seen <= PER_WINDOW, suppressedBefore, seen == PER_WINDOW + 1);
    }
  }
}
