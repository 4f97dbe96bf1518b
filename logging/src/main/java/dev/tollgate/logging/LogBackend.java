package dev.tollgate.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Points Logback, the one backend of the runnable jars, at stdout in the chosen format and level,
 * and routes java.util.logging (Helidon, the JDK's HTTP client) into it. {@link
 * EnvironmentConfigurator} applies the environment's settings when Logback starts; each {@code
 * main} applies the settings again once its flags are read.
 */
public final class LogBackend {
  /** UTC with milliseconds, the same instant format as the access log's {@code time}. */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %logger - %msg%n%throwable";

  private LogBackend() {}

  /** Applies {@code settings} to the running backend, replacing what was configured before. */
  public static void apply(LogSettings settings) {
    configure((LoggerContext) LoggerFactory.getILoggerFactory(), settings, "System.out");
  }

  /** As {@link #apply}, but on stderr: for commands whose stdout is their result. */
  public static void applyOnStderr(LogSettings settings) {
    configure((LoggerContext) LoggerFactory.getILoggerFactory(), settings, "System.err");
  }

  /**
   * @param target {@code System.out} or {@code System.err}
   */
  static void configure(LoggerContext context, LogSettings settings, String target) {
    context.reset();
    // Sets the java.util.logging levels to match, so JUL drops what Logback would discard before
    // building a record (the bridge alone would turn every JUL call into an SLF4J event).
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    propagator.start();
    context.addListener(propagator);

    Encoder<ILoggingEvent> encoder = encoder(context, settings.format());
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget(target);
    console.setEncoder(encoder);
    console.start();
    ServerWarningCap cap = new ServerWarningCap(System::nanoTime);
    cap.setContext(context);
    cap.start();
    context.addTurboFilter(cap);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.convertAnSLF4JLevel(settings.level()));
    root.addAppender(console);

    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogSettings.Format format) {
    return switch (format) {
      case JSON -> {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        // One object per event with the message already formatted; Logback's sequence numbers,
        // nanoseconds, context properties, raw arguments and the MDC (Tollgate sets none) only
        // make each line longer.
        json.setWithSequenceNumber(false);
        json.setWithMDC(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        yield json;
      }
      case TEXT -> {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        yield text;
      }
    };
  }
}
