import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A tiny upstream for the standalone demo: answers every request with a short text naming itself,
 * the method, the path it received and the forwarding headers the gateway set.
 *
 * <p>Run as a single-file program: {@code java DemoUpstream.java <port> <name>}.
 */
public final class DemoUpstream {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    String name = args.length > 1 ? args[1] : "upstream";
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
          }
          String body =
              name
                  + " got "
                  + exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " (X-Forwarded-For: "
                  + exchange.getRequestHeaders().getFirst("X-Forwarded-For")
                  + ", X-Request-Id: "
                  + exchange.getRequestHeaders().getFirst("X-Request-Id")
                  + ")\n";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    System.out.println(name + " listening on 127.0.0.1:" + port);
  }
}
