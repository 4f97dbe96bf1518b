package dev.tollgate.analytics;

import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.api.access.AccessStreamKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Appends records to a gateway instance's access stream as a gateway does (XADD, pipelined). */
public final class AccessStreamWriter implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String stream;

  public AccessStreamWriter(String url, String gateway) {
    this.client = RedisClient.create(url);
    this.connection = client.connect();
    this.stream = new AccessStreamKeys(gateway).stream();
  }

  public void append(List<AccessRecord> records) throws Exception {
    List<RedisFuture<String>> sent = new ArrayList<>(records.size());
    for (AccessRecord record : records) {
      sent.add(connection.async().xadd(stream, AccessRecord.STREAM_FIELD, record.toStreamValue()));
    }
    for (RedisFuture<String> future : sent) {
      future.get(10, TimeUnit.SECONDS);
    }
  }

  public long length() {
    return connection.sync().xlen(stream);
  }

  public StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  public String stream() {
    return stream;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
