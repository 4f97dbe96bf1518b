package dev.tollgate.testkit.redis;

import dev.tollgate.testkit.ExternalCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster of {@code masters} loopback {@code redis-server} processes (no replicas),
 * joined with {@code redis-cli --cluster create}. Slots are spread evenly, so keys with different
 * hash tags usually land on different nodes, which is what cross-slot tests need.
 */
public final class RedisCluster implements AutoCloseable {
  private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServer> nodes;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  public static RedisCluster start(int masters) {
    if (masters < 3) {
      throw new IllegalArgumentException(
          "a Redis Cluster needs at least 3 masters, got " + masters);
    }
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        nodes.add(
            RedisServer.start(
                List.of(
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000")));
      }
      RedisCluster cluster = new RedisCluster(nodes);
      cluster.create();
      cluster.awaitHealthy();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  public List<RedisServer> nodes() {
    return nodes;
  }

  /** Seed nodes in the comma-separated form {@code TOLLGATE_REDIS_URL} takes for a cluster. */
  public String uri() {
    return String.join(",", nodes.stream().map(RedisServer::uri).toList());
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }

  private void create() {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    nodes.forEach(node -> command.add(node.host() + ":" + node.port()));
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    ExternalCommand.run(Duration.ofSeconds(60), command).orThrow();
  }

  private void awaitHealthy() {
    Instant deadline = Instant.now().plus(FORMATION_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (nodes.stream()
          .allMatch(node -> node.cli("CLUSTER", "INFO").contains("cluster_state:ok"))) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the cluster formed", e);
      }
    }
    throw new IllegalStateException(
        "Redis Cluster not healthy after "
            + FORMATION_TIMEOUT
            + ": "
            + nodes.getFirst().cli("CLUSTER", "INFO"));
  }
}
