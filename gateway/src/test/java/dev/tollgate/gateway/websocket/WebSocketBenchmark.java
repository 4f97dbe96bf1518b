package dev.tollgate.gateway.websocket;

import dev.tollgate.gateway.support.GatewayProcess;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.WebSocketEchoServer;
import dev.tollgate.gateway.support.WebSocketRecorder;
import dev.tollgate.gateway.support.WebSocketRecorder.Opened;
import dev.tollgate.testkit.TempDirs;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * WebSocket echo through the packaged gateway jar against the same Jetty echo server directly, in
 * one run: round-trip latency of small text messages one at a time, and the time to echo a volume
 * of 1 MiB binary messages. Prints Markdown; asserts nothing. Not part of {@code verify}: run it
 * like {@code DataPlaneBenchmark} (tools/bench.sh builds the class path), with {@code [round trips]
 * [MiB]} as arguments.
 */
public final class WebSocketBenchmark {
  private WebSocketBenchmark() {}

  public static void main(String[] args) throws Exception {
    int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int mebibytes = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    Path configDir = TempDirs.create("tollgate-ws-bench");
    try (WebSocketEchoServer upstream = WebSocketEchoServer.start()) {
      Files.writeString(
          configDir.resolve("routes.yaml"), Routes.simple("ws", "pathPrefix: /", upstream.url()));
      try (GatewayProcess gateway = GatewayProcess.start(configDir, List.of("-Xmx256m"))) {
        URI direct = URI.create(upstream.url().replace("http:", "ws:") + "/echo");
        URI proxied = URI.create("ws://127.0.0.1:" + gateway.port() + "/echo");
        System.out.printf(
            "Load average %.2f on %d cores%n%n",
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            Runtime.getRuntime().availableProcessors());
        System.out.println("| path | round trip p50 | p99 | echo of " + mebibytes + " MiB |");
        System.out.println("|---|---|---|---|");
        for (int round = 0; round < 2; round++) { // the first round warms both up
          for (URI target : List.of(direct, proxied)) {
            String row = measure(target, roundTrips, mebibytes);
            if (round == 1) {
              System.out.printf("| %s | %s |%n", target == direct ? "direct" : "gateway", row);
            }
          }
        }
      }
    } finally {
      TempDirs.deleteRecursively(configDir);
    }
  }

  private static String measure(URI target, int roundTrips, int mebibytes) throws Exception {
    Opened opened = WebSocketRecorder.open(target);
    WebSocket socket = opened.socket();
    long[] nanos = new long[roundTrips];
    String message = "x".repeat(100);
    for (int i = 0; i < roundTrips; i++) {
      long start = System.nanoTime();
      socket.sendText(message, true).join();
      opened.recorder().next();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    ByteBuffer mebibyte = ByteBuffer.allocate(1 << 20);
    long start = System.nanoTime();
    for (int i = 0; i < mebibytes; i++) {
      socket.sendBinary(mebibyte.duplicate(), true).join();
      opened.recorder().next();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    return "%.0f µs | %.0f µs | %.2f s (%.0f MiB/s each way)"
        .formatted(
            nanos[roundTrips / 2] / 1e3,
            nanos[roundTrips * 99 / 100] / 1e3,
            seconds,
            mebibytes / seconds);
  }
}
