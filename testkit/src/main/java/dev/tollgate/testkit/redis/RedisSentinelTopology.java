package dev.tollgate.testkit.redis;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The smallest Sentinel deployment that fails over the way production does: one master, one replica
 * and three sentinels (quorum 2), all real processes on loopback. Faults go to {@link #master()}
 * through {@link RedisServer} ({@code kill}, {@code pause}, {@code resume}, {@code restart});
 * {@link #awaitFailover} waits until the sentinels name another master.
 *
 * <p>Start-up waits until the replica is in sync and every sentinel knows the replica and the two
 * other sentinels, so a fault injected right after {@link #start()} is failed over. Whatever was
 * started is stopped again when start-up fails.
 */
public final class RedisSentinelTopology implements AutoCloseable {
  private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How long a former master may take to come back as a replica ({@link #awaitReplicaInSync}).
   * Sentinel converts it only after it has reported the wrong role for four publish periods (8 s),
   * learns the role from an INFO it asks every 10 s, and then the replica syncs; a sentinel whose
   * timer stalled for 2 s (a loaded machine) enters TILT mode and changes nothing for 30 s. So a
   * minute can pass on a machine that is merely busy.
   */
  private static final Duration REJOIN = Duration.ofSeconds(120);

  private static final int SENTINELS = 3;
  private static final int QUORUM = 2;
  private static final int LOG_LINES = 25;

  private final List<RedisServer> servers = new ArrayList<>();
  private final List<SentinelProcess> sentinels = new ArrayList<>();

  private RedisSentinelTopology() {}

  public static RedisSentinelTopology start() {
    RedisSentinelTopology topology = new RedisSentinelTopology();
    try {
      RedisServer master = RedisServer.start();
      topology.servers.add(master);
      topology.servers.add(
          RedisServer.start(List.of("--replicaof", master.host(), "" + master.port())));
      for (int i = 0; i < SENTINELS; i++) {
        topology.sentinels.add(new SentinelProcess(master.port(), QUORUM));
      }
      topology.awaitFormed();
      return topology;
    } catch (RuntimeException e) {
      topology.close();
      throw e;
    }
  }

  /** {@code redis-sentinel://s1,s2,s3#mymaster}: every sentinel, as a production URL lists them. */
  public String uri() {
    return "redis-sentinel://"
        + sentinels.stream().map(SentinelProcess::address).collect(Collectors.joining(","))
        + "#"
        + SentinelProcess.MASTER_NAME;
  }

  /** The server the sentinels currently name as master. */
  public RedisServer master() {
    int port =
        sentinels.stream()
            .map(SentinelProcess::masterPort)
            .filter(OptionalInt::isPresent)
            .mapToInt(OptionalInt::getAsInt)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no sentinel names a master"));
    return server(port);
  }

  /** The server that is not {@link #master()}. */
  public RedisServer replica() {
    RedisServer master = master();
    return servers.stream().filter(s -> s != master).findFirst().orElseThrow();
  }

  public List<SentinelProcess> sentinels() {
    return sentinels;
  }

  /**
   * Waits until every sentinel names a master other than {@code former} and that server answers as
   * master.
   */
  public RedisServer awaitFailover(RedisServer former, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                sentinels.stream()
                    .allMatch(
                        s ->
                            s.masterPort().isPresent()
                                && s.masterPort().getAsInt() != former.port()));
    RedisServer promoted = master();
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> promoted.cli("ROLE").startsWith("master"));
    return promoted;
  }

  /**
   * Waits until {@code server} runs as a replica of the current master with its link up. Sentinel
   * closes a demoted master's clients (CLIENT KILL), which may cut a probe: probes that fail are
   * retried. Bounded by {@link #REJOIN}, which is what a former master (killed and restarted, or
   * paused and resumed) needs. On timeout the failure carries the server's replication state and
   * the tail of every log involved, since what Sentinel did (or why it waited) is only in its log.
   */
  public void awaitReplicaInSync(RedisServer server) {
    awaitReplicaInSync(server, REJOIN);
  }

  private void awaitReplicaInSync(RedisServer server, Duration timeout) {
    try {
      await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> server.isRunning() && inSyncWithMaster(server.cli("INFO", "replication")));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "redis-server on port %d is no replica in sync after %s\n%s"
              .formatted(server.port(), timeout, diagnosis(server)),
          e);
    }
  }

  private boolean inSyncWithMaster(String replicationInfo) {
    return replicationInfo.contains("master_link_status:up")
        && replicationInfo.contains("master_port:" + master().port());
  }

  private String diagnosis(RedisServer server) {
    StringBuilder text = new StringBuilder();
    try {
      text.append(server.cli("INFO", "replication"));
    } catch (RuntimeException e) {
      text.append("(INFO replication failed: ").append(e.getMessage()).append(')');
    }
    text.append("\n--- its log:\n").append(server.logTail(LOG_LINES));
    for (SentinelProcess sentinel : sentinels) {
      text.append("\n--- sentinel ")
          .append(sentinel.address())
          .append(":\n")
          .append(sentinel.logTail(LOG_LINES));
    }
    return text.toString();
  }

  @Override
  public void close() {
    sentinels.forEach(SentinelProcess::close);
    servers.forEach(RedisServer::close);
  }

  private RedisServer server(int port) {
    return servers.stream()
        .filter(s -> s.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no server on port " + port));
  }

  private void awaitFormed() {
    awaitReplicaInSync(servers.get(1), FORMATION_TIMEOUT);
    await()
        .atMost(FORMATION_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                sentinels.stream()
                    .allMatch(
                        s -> {
                          String info = s.cli("SENTINEL", "master", SentinelProcess.MASTER_NAME);
                          return field(info, "num-slaves") == 1
                              && field(info, "num-other-sentinels") == SENTINELS - 1;
                        }));
  }

  /** A numeric field of a {@code SENTINEL MASTER} reply (name and value on alternate lines). */
  private static long field(String reply, String name) {
    String[] lines = reply.split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      if (lines[i].strip().equals(name)) {
        return Long.parseLong(lines[i + 1].strip());
      }
    }
    return -1;
  }
}
