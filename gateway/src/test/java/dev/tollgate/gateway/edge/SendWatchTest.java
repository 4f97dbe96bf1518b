package dev.tollgate.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.gateway.tls.TlsClients;
import io.helidon.common.pki.Keys;
import io.helidon.common.socket.TlsSocket;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SendWatchTest {
  private static final long TIMEOUT = TimeUnit.MILLISECONDS.toNanos(10);

  @Test
  @Timeout(30)
  void theSweeperInterruptsTheBlockedWriterNotASecondThreadWritingAtOnce(@TempDir Path dir)
      throws Exception {
    TestCertificates ca = TestCertificates.ca(dir, "test CA");
    Keys keys = TestCertificates.keys(ca.server("server", "localhost"));
    SSLContext serverContext =
        Tls.builder()
            .privateKey(keys.privateKey().orElseThrow())
            .privateKeyCertChain(keys.certChain())
            .build()
            .sslContext();
    try (ServerSocket listener =
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SSLSocket client =
            (SSLSocket)
                TlsClients.trusting(ca.caFile())
                    .getSocketFactory()
                    .createSocket(listener.getInetAddress(), listener.getLocalPort());
        SSLSocket accepted = (SSLSocket) listener.accept()) {
      client.setSoTimeout(10_000);
      accepted.setSoTimeout(10_000);
      Thread.ofVirtual().start(() -> handshake(client));
      // a TLS connection as the gateway's HTTPS listener has it, for which the sweeper interrupts
      SendWatch watch = new SendWatch(TlsSocket.server(accepted, "1", "0"));
      Writer blocked = new Writer(watch);
      blocked.startAndAwaitArmed();
      Writer second = new Writer(watch);
      second.startAndAwaitArmed();

      assertThat(watch.expire(System.nanoTime() + TimeUnit.SECONDS.toNanos(1))).isTrue();

      assertThat(blocked.interrupted.await(5, TimeUnit.SECONDS))
          .as("the thread of the watched write is interrupted")
          .isTrue();
      assertThat(second.interrupted.getCount()).as("the other thread goes on").isEqualTo(1);
      second.thread.interrupt();
      second.thread.join();
      blocked.thread.join();
    }
  }

  private static void handshake(SSLSocket client) {
    try {
      client.startHandshake();
    } catch (IOException e) {
      // the server side's handshake fails too, and with it the test
    }
  }

  /**
   * A thread that begins a write under the watch and then blocks as a stalled socket write would.
   */
  private static final class Writer {
    private final SendWatch watch;
    private final CountDownLatch armed = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private Thread thread;

    Writer(SendWatch watch) {
      this.watch = watch;
    }

    void startAndAwaitArmed() throws InterruptedException {
      thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    watch.started(TIMEOUT);
                    armed.countDown();
                    try {
                      new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                      interrupted.countDown();
                    }
                  });
      assertThat(armed.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
