package dev.tollgate.gateway.grpc;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.GrpcUpstream;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.testkit.ProcessCounters;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Unary gRPC calls straight to a grpc-java server and through the gateway to the same server, in
 * one run, alternating setups for several rounds: calls per second and latency percentiles per
 * setup (the median round). In-process gateway and upstream on loopback, so the figures compare the
 * relay's cost with the upstream's, on whatever else the machine is doing. Prints Markdown; asserts
 * nothing. Not part of {@code verify}: run its {@code main} with the test class path, args {@code
 * [seconds per run] [rounds] [concurrent callers]}.
 */
public final class GrpcBenchmark {
  private GrpcBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int callers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    try (GrpcUpstream upstream = GrpcUpstream.start();
        GatewayFixture gateway =
            GatewayFixture.start(
                Routes.route(
                    "echo",
                    """
                    match: {pathPrefix: /test.Echo/}
                    backend:
                      endpoints: [%s]
                      protocol: h2c
                    """
                        .formatted(upstream.url())))) {
      int upstreamPort =
          Integer.parseInt(upstream.url().substring(upstream.url().lastIndexOf(':') + 1));
      List<Result> direct = new ArrayList<>();
      List<Result> viaGateway = new ArrayList<>();
      run(upstreamPort, 2, callers); // warm-up
      run(gateway.port(), 2, callers);
      for (int round = 0; round < rounds; round++) {
        direct.add(run(upstreamPort, seconds, callers));
        viaGateway.add(run(gateway.port(), seconds, callers));
      }
      System.out.printf(
          "%n%d callers, %d s per run, median of %d rounds, load average %s%n%n",
          callers, seconds, rounds, ProcessCounters.loadAverage());
      System.out.println("| setup | calls/s | p50 ms | p99 ms |");
      System.out.println("|---|---|---|---|");
      print("grpc-java client → server", median(direct));
      print("grpc-java client → gateway (h2c) → server", median(viaGateway));
    }
  }

  private record Result(double callsPerSecond, double p50Millis, double p99Millis) {}

  private static Result run(int port, int seconds, int callers) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Future<long[]>> work = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        work.add(pool.submit(() -> calls(channel, end)));
      }
      long[] all = new long[0];
      for (Future<long[]> f : work) {
        long[] some = f.get();
        long[] merged = Arrays.copyOf(all, all.length + some.length);
        System.arraycopy(some, 0, merged, all.length, some.length);
        all = merged;
      }
      Arrays.sort(all);
      return new Result(
          all.length / (double) seconds,
          all[all.length / 2] / 1e6,
          all[(int) (all.length * 0.99)] / 1e6);
    } finally {
      pool.shutdownNow();
      channel.shutdownNow();
    }
  }

  private static long[] calls(ManagedChannel channel, long end) {
    long[] took = new long[1024];
    int n = 0;
    while (System.nanoTime() < end) {
      long start = System.nanoTime();
      ClientCalls.blockingUnaryCall(
          channel,
          GrpcUpstream.UNARY,
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          "ping");
      if (n == took.length) {
        took = Arrays.copyOf(took, n * 2);
      }
      took[n++] = System.nanoTime() - start;
    }
    return Arrays.copyOf(took, n);
  }

  private static Result median(List<Result> rounds) {
    List<Result> sorted = new ArrayList<>(rounds);
    sorted.sort((a, b) -> Double.compare(a.callsPerSecond(), b.callsPerSecond()));
    return sorted.get(sorted.size() / 2);
  }

  private static void print(String setup, Result r) {
    System.out.printf(
        "| %s | %.0f | %.2f | %.2f |%n", setup, r.callsPerSecond(), r.p50Millis(), r.p99Millis());
  }
}
