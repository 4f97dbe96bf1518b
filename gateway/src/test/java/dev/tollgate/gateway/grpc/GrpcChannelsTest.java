package dev.tollgate.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.RouteBackend.Protocol;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Channels are made on first use, once per endpoint and protocol, and retired with the config. */
class GrpcChannelsTest {
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:50051");

  private final GrpcChannels channels =
      new GrpcChannels(Duration.ofSeconds(1), Duration.ofMinutes(1), 8192, Optional.empty());

  @AfterEach
  void close() {
    channels.close();
  }

  @Test
  void aBurstOfFirstCallsOnVirtualThreadsSharesOneChannel() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ManagedChannel>> got;
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      got =
          IntStream.range(0, 200)
              .mapToObj(
                  i ->
                      threads.submit(
                          () -> {
                            start.await();
                            return channels.channel(ENDPOINT, Protocol.H2C);
                          }))
              .toList();
      start.countDown();
    }
    ManagedChannel first = got.getFirst().get();
    for (Future<ManagedChannel> channel : got) {
      assertThat(channel.get()).isSameAs(first);
    }
    assertThat(channels.channel(ENDPOINT, Protocol.H2)).isNotSameAs(first);
  }

  @Test
  void anEndpointLeftOutOfTheConfigurationHasItsChannelShutDownAndANewOneNextTime() {
    ManagedChannel before = channels.channel(ENDPOINT, Protocol.H2C);

    channels.retainOnly(Set.of(URI.create("http://127.0.0.1:50052")));

    assertThat(before.isShutdown()).isTrue();
    assertThat(channels.channel(ENDPOINT, Protocol.H2C)).isNotSameAs(before);
  }
}
