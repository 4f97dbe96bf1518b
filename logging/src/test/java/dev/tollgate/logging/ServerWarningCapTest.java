package dev.tollgate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerWarningCapTest {
  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> written = new ListAppender<>();
  private final AtomicLong nanos = new AtomicLong(1_000);

  @BeforeEach
  void capTheContext() {
    ServerWarningCap cap = new ServerWarningCap(nanos::get);
    cap.setContext(context);
    cap.start();
    context.addTurboFilter(cap);
    written.setContext(context);
    written.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(written);
  }

  @Test
  void aServerLoggerWritesTenWarningsAMinuteAndSaysHowManyItDropped() {
    Logger server = context.getLogger("io.helidon.webserver.ConnectionHandler");
    for (int i = 0; i < 25; i++) {
      server.warn("unexpected exception " + i, new IllegalArgumentException("Token"));
    }

    assertThat(messagesOf("io.helidon.webserver.ConnectionHandler"))
        .hasSize(ServerWarningCap.PER_WINDOW)
        .last()
        .isEqualTo("unexpected exception 9");
    assertThat(messagesOf(ServerWarningCap.class.getName()))
        .containsExactly(
            "io.helidon.webserver.ConnectionHandler wrote 10 warnings within a minute; more are"
                + " suppressed for the rest of it");

    nanos.addAndGet(ServerWarningCap.WINDOW.toNanos());
    server.warn("unexpected exception 25");

    assertThat(messagesOf("io.helidon.webserver.ConnectionHandler"))
        .hasSize(ServerWarningCap.PER_WINDOW + 1);
    assertThat(messagesOf(ServerWarningCap.class.getName()))
        .last()
        .isEqualTo(
            "15 more warnings of io.helidon.webserver.ConnectionHandler were suppressed in the"
                + " minute before");
  }

  @Test
  void errorsOtherLoggersAndEachServerLoggerOfItsOwnPass() {
    Logger server = context.getLogger("io.helidon.webserver.ConnectionHandler");
    Logger other = context.getLogger("io.helidon.webserver.http2.Http2Connection");
    Logger tollgate = context.getLogger("dev.tollgate.gateway.Gateway");
    for (int i = 0; i < 20; i++) {
      server.error("error " + i);
      other.warn("warning " + i);
      tollgate.warn("warning " + i);
    }

    assertThat(messagesOf("io.helidon.webserver.ConnectionHandler")).hasSize(20);
    assertThat(messagesOf("io.helidon.webserver.http2.Http2Connection"))
        .hasSize(ServerWarningCap.PER_WINDOW);
    assertThat(messagesOf("dev.tollgate.gateway.Gateway")).hasSize(20);
  }

  private List<String> messagesOf(String logger) {
    return written.list.stream()
        .filter(event -> event.getLoggerName().equals(logger))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
