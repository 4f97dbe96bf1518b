package dev.tollgate.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;

/** What the snapshot writer ITs (standalone and cluster) share. */
final class WriterFixture {
  private WriterFixture() {}

  /** A deterministic snapshot rendering with {@code content} as its routes. */
  static LongFunction<String> snapshot(String content) {
    return version -> "{\"version\":" + version + ",\"routes\":[" + content + "],\"policies\":[]}";
  }

  /** Subscribes {@code sub} to {@code channel}; the list fills with {@code channel=message}. */
  static List<String> record(StatefulRedisPubSubConnection<String, String> sub, String channel) {
    List<String> messages = new CopyOnWriteArrayList<>();
    sub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String from, String message) {
            messages.add(from + "=" + message);
          }
        });
    sub.sync().subscribe(channel);
    return messages;
  }

  /** Waits until {@code messages} holds exactly {@code expected}, in order. */
  static void awaitMessages(List<String> messages, String... expected) {
    await().untilAsserted(() -> assertThat(messages).containsExactly(expected));
  }
}
