package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.support.TestCertificates;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLServerSocket;

/**
 * An upstream on loopback that accepts every connection, greets it once (a handshake, a head) and
 * then holds it without reading or answering: the peer that stops reading or never answers.
 */
final class HoldingServer implements AutoCloseable {
  /** What the server does with each connection before it stops reading. */
  interface Greeting {
    void greet(Socket accepted) throws IOException;
  }

  private final ServerSocket server;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  private HoldingServer(ServerSocket server) {
    this.server = server;
  }

  /** A plain server that never answers. */
  static HoldingServer silent() throws IOException {
    return start(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), accepted -> {});
  }

  /**
   * A TLS server with a certificate for {@code localhost} and 127.0.0.1 from {@code ca}, taking few
   * bytes before its window is full.
   */
  static HoldingServer tls(TestCertificates ca, Greeting greeting) throws IOException {
    Keys keys = TestCertificates.keys(ca.server("up", "localhost", "IP:127.0.0.1"));
    Tls tls =
        Tls.builder()
            .privateKey(keys.privateKey().orElseThrow())
            .privateKeyCertChain(keys.certChain())
            .build();
    SSLServerSocket server =
        (SSLServerSocket) tls.sslContext().getServerSocketFactory().createServerSocket();
    server.setReceiveBufferSize(4096);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return start(server, greeting);
  }

  private static HoldingServer start(ServerSocket socket, Greeting greeting) {
    HoldingServer server = new HoldingServer(socket);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                while (true) {
                  Socket accepted = socket.accept();
                  server.held.add(accepted);
                  greeting.greet(accepted);
                }
              } catch (IOException e) {
                // the server closed at the end of the test
              }
            });
    return server;
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : held) {
      socket.close();
    }
  }
}
