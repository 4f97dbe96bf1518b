package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served {@link CertificateSet}, read from one directory per certificate ({@code tls.crt} and
 * {@code tls.key}, as a {@code kubernetes.io/tls} Secret is mounted) and from the pairs of an
 * optional {@link CertificateBundle}, and re-read every poll interval by one rule for every pair
 * ({@link PemPair#refresh}: a changed pair that cannot be served is refused and counted, the
 * previous one kept). Kubernetes swaps a Secret volume's {@code ..data} symlink atomically, so both
 * files of a pair normally change together; polling (not a file watcher) follows that symlink swap
 * and costs two small reads per certificate per interval.
 *
 * <p>The set holds the certificate directories in their order, then the bundle's pairs by id: the
 * first is the default certificate. With no directory and an empty bundle the set is empty and
 * every handshake fails.
 */
public final class CertificateStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

  private final List<PemPair> directories;
  private final Optional<CertificateBundle> bundle;
  private final GatewayMetrics metrics;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-tls-reload").daemon().factory());
  private volatile CertificateSet current;
  // the set before the last change: an alias JSSE chose just before a swap still resolves
  private volatile CertificateSet previous;

  private CertificateStore(
      List<PemPair> directories, Optional<CertificateBundle> bundle, GatewayMetrics metrics) {
    this.directories = directories;
    this.bundle = bundle;
    this.metrics = metrics;
    this.current = set();
    this.previous = current;
  }

  /**
   * Reads every certificate directory (a pair that cannot be served stops the gateway) and the
   * bundle's pairs (one that cannot be served is refused like a renewal: the bundle is written by
   * others while the gateway runs), then starts polling.
   *
   * @throws IllegalArgumentException naming the directory whose pair cannot be served
   */
  public static CertificateStore open(TlsSettings settings, GatewayMetrics metrics) {
    List<PemPair> directories = new ArrayList<>();
    for (var directory : settings.certificateDirs()) {
      PemPair pair = PemPair.inDirectory(directory);
      pair.load(metrics);
      directories.add(pair);
    }
    CertificateStore store =
        new CertificateStore(
            List.copyOf(directories),
            settings.certificateBundleDir().map(CertificateBundle::new),
            metrics);
    store.poll();
    long tick = settings.pollInterval().toNanos();
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

  /** Follows the bundle's listing and re-reads every pair once; runs on the poller. */
  void poll() {
    boolean changed = false;
    try {
      changed = bundle.map(b -> b.sync(metrics)).orElse(false);
    } catch (RuntimeException e) {
      LOG.warn("Certificate bundle check failed; keeping its pairs", e);
    }
    for (PemPair pair : pairs().toList()) {
      try {
        changed |= pair.refresh(metrics);
      } catch (RuntimeException e) {
        LOG.warn("Certificate check of {} failed; keeping the served one", pair.name(), e);
      }
    }
    if (changed) {
      previous = current;
      current = set();
    }
  }

  /** The directories in order, then the bundle's pairs by id. */
  private Stream<PemPair> pairs() {
    return Stream.concat(directories.stream(), bundle.stream().flatMap(b -> b.pairs().stream()));
  }

  private CertificateSet set() {
    return new CertificateSet(pairs().flatMap(p -> p.served().stream()).toList());
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
