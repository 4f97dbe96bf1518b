package dev.tollgate.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.rules.ResourceId;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the snapshot writer ITs (standalone and cluster) share. */
final class WriterFixture {
  private WriterFixture() {}

  /**
   * Route entries named {@code names} in namespace {@code shop}, each JSON {@code {"n":"<name>"}}.
   */
  static Map<ResourceId, SnapshotEntry> routes(String... names) {
    Map<ResourceId, SnapshotEntry> entries = new LinkedHashMap<>();
    for (String name : names) {
      entries.put(
          ResourceId.route("shop", name), new SnapshotEntry("{\"n\":\"" + name + "\"}", name, 1));
    }
    return entries;
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
