package dev.tollgate.e2e.system;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The config version each gateway serves ({@code /admin/config}), read every {@value
 * #INTERVAL_MILLIS} ms on a clock shared with a {@link FailoverLoad}: shows whether a version ever
 * went back (rollback) or stopped moving (freeze) across a fault.
 */
final class ServedVersions implements AutoCloseable {
  private static final long INTERVAL_MILLIS = 100;

  /** One reading: {@code version} -1 when the gateway did not answer or served nothing. */
  record Reading(long atNanos, int gateway, long version) {}

  private final List<GatewayJar> gateways;
  private final LongSupplier clock;
  private final ConcurrentLinkedQueue<Reading> readings = new ConcurrentLinkedQueue<>();
  private final Thread poller;
  private volatile boolean stopped;

  ServedVersions(List<GatewayJar> gateways, LongSupplier clock) {
    this.gateways = List.copyOf(gateways);
    this.clock = clock;
    this.poller = Thread.ofPlatform().name("served-versions").daemon().start(this::poll);
  }

  List<Reading> readings() {
    return new ArrayList<>(readings);
  }

  /** The highest version any gateway served so far, if any. */
  OptionalLong highest() {
    return readings.stream().mapToLong(Reading::version).filter(v -> v >= 0).max();
  }

  /** Whether every gateway's latest reading is above {@code version}. */
  boolean allServeAbove(long version) {
    long[] latest = new long[gateways.size()];
    java.util.Arrays.fill(latest, -1);
    for (Reading reading : readings) {
      if (reading.version() >= 0) {
        latest[reading.gateway()] = reading.version();
      }
    }
    return java.util.Arrays.stream(latest).allMatch(v -> v > version);
  }

  /** Gateways whose served version went down between two readings. */
  List<String> rollbacks() {
    List<String> found = new ArrayList<>();
    long[] last = new long[gateways.size()];
    for (Reading reading : readings) {
      if (reading.version() >= 0) {
        if (reading.version() < last[reading.gateway()]) {
          found.add(
              gateways.get(reading.gateway()).podId()
                  + ": "
                  + last[reading.gateway()]
                  + " -> "
                  + reading.version());
        }
        last[reading.gateway()] = reading.version();
      }
    }
    return found;
  }

  @Override
  public void close() {
    stopped = true;
    try {
      poller.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void poll() {
    while (!stopped) {
      for (int i = 0; i < gateways.size(); i++) {
        readings.add(new Reading(clock.getAsLong(), i, read(gateways.get(i))));
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static long read(GatewayJar gateway) {
    try {
      var config = gateway.config();
      return config.path("loaded").asBoolean() ? config.path("version").asLong(-1) : -1;
    } catch (UncheckedIOException | IllegalStateException e) {
      return -1;
    }
  }
}
