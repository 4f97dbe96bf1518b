package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served {@link CertificateSet}, read from one directory per certificate ({@code tls.crt} and
 * {@code tls.key}, as a {@code kubernetes.io/tls} Secret is mounted) and re-read every poll
 * interval. A pair whose bytes changed is parsed and checked before it replaces the old one; a pair
 * that does not parse or whose key does not match (a renewal caught half-written) is logged once,
 * counted ({@code tollgate_tls_certificate_reloads_total{result="failure"}}) and ignored, and the
 * previous pair stays served until a good one appears. Kubernetes swaps a Secret volume's {@code
 * ..data} symlink atomically, so both files normally change together; polling (not a file watcher)
 * follows that symlink swap and costs two small reads per certificate per interval.
 */
public final class CertificateStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

  /** A PEM chain of a few certificates is a few KiB; a larger file is not a certificate pair. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  private final List<Source> sources;
  private final GatewayMetrics metrics;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-tls-reload").daemon().factory());
  private volatile CertificateSet current;
  // the set before the last change: an alias JSSE chose just before a swap still resolves
  private volatile CertificateSet previous;

  private CertificateStore(List<Source> sources, GatewayMetrics metrics) {
    this.sources = sources;
    this.metrics = metrics;
    this.current = set();
    this.previous = current;
  }

  /**
   * Reads every pair (the first directory is the default certificate) and starts polling.
   *
   * @throws IllegalArgumentException naming the directory whose pair cannot be served
   */
  public static CertificateStore open(
      List<Path> directories, Duration pollInterval, GatewayMetrics metrics) {
    List<Source> sources = new ArrayList<>();
    for (Path directory : directories) {
      Source source = new Source(directory);
      byte[][] files = source.read();
      source.serve(files, source.parse(files));
      sources.add(source);
    }
    CertificateStore store = new CertificateStore(List.copyOf(sources), metrics);
    for (Source source : sources) {
      metrics.certificateExpiry(
          source.directory.toString(),
          () -> source.served.chain().getFirst().getNotAfter().toInstant().getEpochSecond());
    }
    long tick = pollInterval.toNanos();
    store.poller.scheduleWithFixedDelay(store::poll, tick, tick, TimeUnit.NANOSECONDS);
    return store;
  }

  public CertificateSet current() {
    return current;
  }

  /** The certificate with this alias in the served set or the one before it. */
  Optional<ServerCertificate> withAlias(String alias) {
    return current.withAlias(alias).or(() -> previous.withAlias(alias));
  }

  /** Re-reads every pair once; runs on the poller, callable from tests. */
  void poll() {
    boolean changed = false;
    for (Source source : sources) {
      try {
        changed |= source.refresh(metrics);
      } catch (RuntimeException e) {
        LOG.warn("Certificate check of {} failed; keeping the served one", source.directory, e);
      }
    }
    if (changed) {
      previous = current;
      current = set();
    }
  }

  private CertificateSet set() {
    return new CertificateSet(sources.stream().map(s -> s.served).toList());
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }

  /** One certificate directory: the pair being served and the bytes last seen. */
  private static final class Source {
    private final Path directory;
    private volatile ServerCertificate served;
    private byte[][] servedFiles;
    private byte[][] refusedFiles;

    Source(Path directory) {
      this.directory = directory;
    }

    void serve(byte[][] files, ServerCertificate certificate) {
      servedFiles = files;
      refusedFiles = null;
      served = certificate;
    }

    /** True when a changed, valid pair replaced the served one. */
    boolean refresh(GatewayMetrics metrics) {
      byte[][] files;
      try {
        files = read();
      } catch (IllegalArgumentException e) {
        // a file missing mid-swap; the next poll sees the finished swap
        LOG.debug("Certificate files of {} not readable now: {}", directory, e.getMessage());
        return false;
      }
      if (Arrays.deepEquals(files, servedFiles) || Arrays.deepEquals(files, refusedFiles)) {
        return false;
      }
      try {
        serve(files, parse(files));
      } catch (IllegalArgumentException e) {
        refusedFiles = files;
        metrics.certificateReload(directory.toString(), "failure");
        LOG.warn(
            "Refused changed certificate pair, still serving the previous one: {}", e.getMessage());
        return false;
      }
      metrics.certificateReload(directory.toString(), "success");
      LOG.info(
          "Serving renewed certificate from {} ({}, expires {})",
          directory,
          served.names(),
          served.chain().getFirst().getNotAfter().toInstant());
      return true;
    }

    ServerCertificate parse(byte[][] files) {
      for (byte[] file : files) {
        if (file.length > MAX_FILE_BYTES) {
          throw new IllegalArgumentException(
              directory + ": a file is larger than " + MAX_FILE_BYTES + " bytes");
        }
      }
      return ServerCertificate.parse(directory.toString(), files[0], files[1]);
    }

    /** {tls.crt, tls.key} bytes (at most one more than {@link #MAX_FILE_BYTES} each). */
    byte[][] read() {
      return new byte[][] {readFile("tls.crt"), readFile("tls.key")};
    }

    private byte[] readFile(String name) {
      Path file = directory.resolve(name);
      try (InputStream in = Files.newInputStream(file)) {
        // one byte more than allowed, so that parse() can tell an oversized file
        return in.readNBytes(MAX_FILE_BYTES + 1);
      } catch (IOException e) {
        throw new IllegalArgumentException(file + " cannot be read: " + e, e);
      }
    }
  }
}
