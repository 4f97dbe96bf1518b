package dev.tollgate.testkit.redis;

import dev.tollgate.testkit.ExternalCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster of {@code masters} loopback {@code redis-server} processes, each with {@code
 * replicasPerMaster} replicas, joined with {@code redis-cli --cluster create --cluster-replicas N}.
 * Slots are spread evenly, so keys with different hash tags usually land on different nodes, which
 * is what cross-slot tests need. With replicas, {@link #masterOwning} names the node to kill and
 * {@link #awaitFailover} waits until a replica took its slots over ({@value #NODE_TIMEOUT_MILLIS}
 * ms node timeout, the Redis default is 15 s).
 */
public final class RedisCluster implements AutoCloseable {
  private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(60);
  public static final int NODE_TIMEOUT_MILLIS = 2000;

  private final List<RedisServer> nodes;
  private final int replicasPerMaster;

  private RedisCluster(List<RedisServer> nodes, int replicasPerMaster) {
    this.nodes = List.copyOf(nodes);
    this.replicasPerMaster = replicasPerMaster;
  }

  public static RedisCluster start(int masters) {
    return start(masters, 0);
  }

  public static RedisCluster start(int masters, int replicasPerMaster) {
    if (masters < 3) {
      throw new IllegalArgumentException(
          "a Redis Cluster needs at least 3 masters, got " + masters);
    }
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
        nodes.add(
            RedisServer.start(
                List.of(
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "" + NODE_TIMEOUT_MILLIS)));
      }
      RedisCluster cluster = new RedisCluster(nodes, replicasPerMaster);
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
    command.addAll(List.of("--cluster-replicas", "" + replicasPerMaster, "--cluster-yes"));
    ExternalCommand.run(Duration.ofSeconds(60), command).orThrow();
  }

  /** The keys matching {@code pattern} on every running node (SCAN; for small test data). */
  public List<String> keys(String pattern) {
    return nodes.stream()
        .filter(RedisServer::isRunning)
        .flatMap(node -> node.cli("--scan", "--pattern", pattern).lines())
        .filter(line -> !line.isBlank())
        .distinct()
        .toList();
  }

  /** The master that serves {@code key}'s slot now, as the running nodes see it. */
  public RedisServer masterOwning(String key) {
    RedisServer seen = anyRunning();
    int slot = Integer.parseInt(seen.cli("CLUSTER", "KEYSLOT", key));
    for (String line : seen.cli("CLUSTER", "NODES").split("\n")) {
      String[] fields = line.strip().split(" ");
      if (fields.length > 8 && fields[2].contains("master") && !fields[2].contains("fail")) {
        for (int i = 8; i < fields.length; i++) {
          if (covers(fields[i], slot)) {
            return node(Integer.parseInt(fields[1].replaceAll(".*:(\\d+)@.*", "$1")));
          }
        }
      }
    }
    throw new IllegalStateException("no live master serves slot " + slot + " of " + key);
  }

  /**
   * Waits until a node other than {@code former} serves {@code key}'s slot and every running node
   * reports the cluster healthy; returns the new owner.
   */
  public RedisServer awaitFailover(RedisServer former, String key, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        RedisServer owner = masterOwning(key);
        if (owner != former && healthy()) {
          return owner;
        }
      } catch (IllegalStateException e) {
        // the slot is uncovered until a replica is promoted
      }
      pause();
    }
    throw new IllegalStateException(
        "no failover of " + key + " in " + timeout + ": " + anyRunning().cli("CLUSTER", "NODES"));
  }

  private boolean healthy() {
    return nodes.stream()
        .filter(RedisServer::isRunning)
        .allMatch(node -> node.cli("CLUSTER", "INFO").contains("cluster_state:ok"));
  }

  private RedisServer anyRunning() {
    return nodes.stream()
        .filter(RedisServer::isRunning)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no cluster node is running"));
  }

  private RedisServer node(int port) {
    return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
  }

  private static boolean covers(String range, int slot) {
    if (range.startsWith("[")) {
      return false; // a slot being migrated or imported
    }
    String[] bounds = range.split("-");
    int from = Integer.parseInt(bounds[0]);
    int to = Integer.parseInt(bounds[bounds.length - 1]);
    return from <= slot && slot <= to;
  }

  private boolean replicasInSync() {
    return nodes.stream()
            .map(node -> node.cli("INFO", "replication"))
            .filter(info -> info.contains("role:slave"))
            .filter(info -> info.contains("master_link_status:up"))
            .count()
        == (long) nodes.size() * replicasPerMaster / (1 + replicasPerMaster);
  }

  private void awaitHealthy() {
    Instant deadline = Instant.now().plus(FORMATION_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (healthy() && replicasInSync()) {
        return;
      }
      pause();
    }
    throw new IllegalStateException(
        "Redis Cluster not healthy after "
            + FORMATION_TIMEOUT
            + ": "
            + nodes.getFirst().cli("CLUSTER", "INFO"));
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the cluster", e);
    }
  }
}
