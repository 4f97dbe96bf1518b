package dev.tollgate.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One shared connection to whatever {@link RedisTarget} names, with {@link LettuceOptions}: a
 * standalone Redis through {@link RedisClient}, a sentinel-monitored master through Lettuce's
 * {@link MasterReplica}, a cluster through {@link RedisClusterClient} (commands routed by their
 * key's slot). Standalone and cluster offer the same command interfaces, so callers never branch on
 * the kind. Owns its client and client resources: closing it releases everything. A standalone
 * connection whose Redis turned replica behind the same address reconnects ({@link
 * ReadOnlyReconnect}).
 *
 * <p>Why {@link MasterReplica} for Sentinel rather than a plain sentinel connection: the plain one
 * asks the sentinels for the master only when it reconnects, and a master that hangs (paused, or
 * cut off by a partition) never closes the connection, so every command would keep timing out on
 * the old master after the sentinels promoted the replica, until the old one came back. {@link
 * MasterReplica} subscribes to the sentinels' events and moves commands to the promoted master
 * whether or not the old connection closed. Lettuce waits 5 s after the first event before it
 * re-reads the topology (one refresh per burst of events), which adds up to 5 s to the failover
 * Sentinel itself takes; docs/limiter.md has the measured figures.
 *
 * @param <K> key type of the codec
 * @param <V> value type of the codec
 */
public final class RedisConnection<K, V> implements AutoCloseable {
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final StatefulConnection<K, V> connection;
  private final RedisClusterCommands<K, V> sync;
  private final RedisClusterAsyncCommands<K, V> async;
  private final RedisCodec<K, V> codec;
  private final RedisURI pubSubUri;
  private final boolean cluster;
  private final List<StatefulRedisPubSubConnection<K, V>> subscriptions =
      new CopyOnWriteArrayList<>();

  private RedisConnection(
      ClientResources resources,
      AbstractRedisClient client,
      StatefulConnection<K, V> connection,
      RedisClusterCommands<K, V> sync,
      RedisClusterAsyncCommands<K, V> async,
      RedisCodec<K, V> codec,
      RedisURI pubSubUri,
      boolean cluster) {
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    this.sync = sync;
    this.async = async;
    this.codec = codec;
    this.pubSubUri = pubSubUri;
    this.cluster = cluster;
  }

  /**
   * Connects, waiting at most 2 s per node for the TCP connect and as long again for the handshake
   * ({@link LettuceOptions#limitHandshake}).
   *
   * @throws RedisException when Redis cannot be reached; nothing is left open
   */
  public static <K, V> RedisConnection<K, V> open(
      RedisTarget target, LettuceOptions options, RedisCodec<K, V> codec) {
    RedisTransport.tellOnce();
    target.nodes().forEach(LettuceOptions::limitHandshake);
    ClientResources resources = options.resources();
    AbstractRedisClient client = null;
    try {
      if (target instanceof RedisTarget.Cluster seeds) {
        RedisClusterClient clusterClient = RedisClusterClient.create(resources, seeds.seeds());
        client = clusterClient;
        clusterClient.setOptions(options.cluster());
        StatefulRedisClusterConnection<K, V> c = clusterClient.connect(codec);
        // Lettuce opens node connections lazily, and with REJECT_COMMANDS a command for a node
        // whose connection is still opening is rejected (a fresh gateway's first GET failed that
        // way): open them all now.
        c.getPartitions()
            .forEach(node -> c.getConnection(node.getUri().getHost(), node.getUri().getPort()));
        return new RedisConnection<>(
            resources, clusterClient, c, c.sync(), c.async(), codec, null, true);
      }
      RedisURI uri = target.nodes().getFirst();
      RedisClient single = RedisClient.create(resources);
      client = single;
      single.setOptions(options.client());
      if (target instanceof RedisTarget.Sentinel) {
        StatefulRedisMasterReplicaConnection<K, V> c = MasterReplica.connect(single, codec, uri);
        // Every command to the master: limiter scripts write, and so do snapshot writes.
        c.setReadFrom(ReadFrom.UPSTREAM);
        return new RedisConnection<>(resources, single, c, c.sync(), c.async(), codec, uri, false);
      }
      // before connecting: Lettuce wraps a connection's writer for the listeners it has then
      ReadOnlyReconnect readOnly = new ReadOnlyReconnect(uri.getHost() + ":" + uri.getPort());
      single.addListener(readOnly);
      StatefulRedisConnection<K, V> c = single.connect(codec, uri);
      readOnly.watch((RedisChannelHandler<?, ?>) c);
      return new RedisConnection<>(resources, single, c, c.sync(), c.async(), codec, uri, false);
    } catch (RuntimeException e) {
      if (client != null) {
        client.shutdown();
      }
      resources.shutdown();
      throw e;
    }
  }

  /** Blocking commands; a cluster routes each by its key's slot. */
  public RedisClusterCommands<K, V> sync() {
    return sync;
  }

  public RedisClusterAsyncCommands<K, V> async() {
    return async;
  }

  /** Whether this is a Redis Cluster (keys of one call must then share a slot). */
  public boolean cluster() {
    return cluster;
  }

  public boolean isOpen() {
    return connection.isOpen();
  }

  /**
   * Subscribes {@code listener} to {@code channel} on a connection of its own (a connection in
   * subscribe mode takes no other commands). It reconnects with the others and renews the
   * subscription; on a cluster a PUBLISH on any node reaches it. Behind sentinels it asks them for
   * the master on every reconnect; a master that hangs keeps it until Sentinel demotes that master
   * (which closes its clients), so callers must not rely on pub/sub alone.
   */
  public StatefulRedisPubSubConnection<K, V> subscribe(
      K channel, RedisPubSubListener<K, V> listener) {
    StatefulRedisPubSubConnection<K, V> pubSub =
        client instanceof RedisClusterClient clusterClient
            ? clusterClient.connectPubSub(codec)
            : ((RedisClient) client).connectPubSub(codec, pubSubUri);
    subscriptions.add(pubSub);
    pubSub.addListener(listener);
    pubSub.sync().subscribe(channel);
    return pubSub;
  }

  @Override
  public void close() {
    subscriptions.forEach(StatefulRedisPubSubConnection::close);
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
