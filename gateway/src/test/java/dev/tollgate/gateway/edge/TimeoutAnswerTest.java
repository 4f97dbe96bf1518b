package dev.tollgate.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.webserver.ConnectionContext;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The 408 of a client whose deadline passed is written beside the sweeper, never by it: a client
 * that does not read (its socket takes no more bytes, so the write blocks) neither stops the other
 * connections' deadlines nor keeps its own connection open.
 */
class TimeoutAnswerTest {
  private static final Duration HEADER_TIMEOUT = Duration.ofMillis(200);

  @Test
  void aClientThatDoesNotTakeIts408NeitherStopsOthersDeadlinesNorStaysOpen() throws Exception {
    ClientLimits limits =
        new ClientLimits(
            HEADER_TIMEOUT,
            HEADER_TIMEOUT,
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
            100,
            100,
            UnderscoreHeaders.DROP);
    ClientConnections connections = new ClientConnections(limits, new GatewayMetrics());
    CountDownLatch stuckWriteStarted = new CountDownLatch(1);
    CountDownLatch stuckClosed = new CountDownLatch(1);
    CountDownLatch otherAnswered = new CountDownLatch(1);
    CountDownLatch otherClosed = new CountDownLatch(1);
    try {
      // its socket's write blocks, as a send() into a full buffer does, until the socket is closed
      ConnectionContext stuck =
          context(
              () -> {
                stuckWriteStarted.countDown();
                stuckClosed.await();
              },
              stuckClosed::countDown);
      headStarted(connections, stuck);
      assertThat(stuckWriteStarted.await(10, TimeUnit.SECONDS))
          .as("the first connection's 408 is being written")
          .isTrue();

      // an ordinary slow client, whose header deadline passes while that write is blocked
      ConnectionContext other = context(otherAnswered::countDown, otherClosed::countDown);
      headStarted(connections, other);
      assertThat(otherAnswered.await(10, TimeUnit.SECONDS))
          .as("the second connection got its 408 while the first one's write was blocked")
          .isTrue();
      assertThat(otherClosed.await(10, TimeUnit.SECONDS))
          .as("the second connection was closed after its 408")
          .isTrue();
      assertThat(stuckClosed.await(20, TimeUnit.SECONDS))
          .as("the connection that did not take its 408 was aborted")
          .isTrue();
    } finally {
      connections.close();
      stuckClosed.countDown();
    }
  }

  /** The request line of a request whose header block then never comes, on its own thread. */
  private static void headStarted(ClientConnections connections, ConnectionContext context)
      throws InterruptedException {
    Thread thread =
        Thread.ofPlatform()
            .start(
                () -> {
                  connections.opened(context);
                  connections
                      .requestHeads()
                      .prologue(
                          context,
                          HttpPrologue.create("HTTP/1.1", "HTTP", "1.1", Method.GET, "/", false));
                });
    thread.join();
  }

  interface Blocking {
    void run() throws Exception;
  }

  /** A connection on a plain socket whose writes run {@code onWrite}. */
  private static ConnectionContext context(Blocking onWrite, Runnable onClose) {
    HelidonSocket socket =
        (HelidonSocket)
            Proxy.newProxyInstance(
                HelidonSocket.class.getClassLoader(),
                new Class<?>[] {HelidonSocket.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "write" -> {
                        onWrite.run();
                        yield null;
                      }
                      case "close" -> {
                        onClose.run();
                        yield null;
                      }
                      case "isSecure" -> false;
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      case "toString" -> "socket";
                      default -> null;
                    });
    return (ConnectionContext)
        Proxy.newProxyInstance(
            ConnectionContext.class.getClassLoader(),
            new Class<?>[] {ConnectionContext.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "serverSocket" -> socket;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "context";
                  default -> null;
                });
  }
}
