package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pairs of a certificate bundle directory: any number of {@code <id>.crt} + {@code <id>.key}
 * (how the operator writes the certificates of Gateway API listeners into one Secret), whose set
 * changes while the gateway runs. {@link #sync} follows the directory's listing: a new id gets a
 * {@link PemPair} (read by the store's next refresh like any other pair), an id whose files are
 * gone is dropped. Entries starting with {@code .} are the kubelet's {@code ..data} machinery, not
 * pairs. A directory that does not exist yet (the Secret not written yet) holds no pair; one that
 * cannot be listed keeps the pairs it had.
 *
 * <p>Used by the store's poller thread only.
 */
final class CertificateBundle {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateBundle.class);

  /**
   * At most this many pairs are served, the first by id. A Secret holds at most 1 MiB, about 1,200
   * of the smallest real pairs (a ~600-byte EC P-256 leaf and its ~240-byte key), so this bounds
   * only a directory filled by hand.
   */
  static final int MAX_PAIRS = 2048;

  private final Path directory;
  private final TreeMap<String, PemPair> pairs = new TreeMap<>();
  private int overflowReported;

  CertificateBundle(Path directory) {
    this.directory = directory;
  }

  /** Adds a pair per new id, drops the pairs whose files are gone; true when one was served. */
  boolean sync(GatewayMetrics metrics) {
    Optional<SortedSet<String>> listed = ids();
    if (listed.isEmpty()) {
      return false;
    }
    SortedSet<String> ids = listed.get();
    boolean changed = false;
    var entries = pairs.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<String, PemPair> entry = entries.next();
      if (!ids.contains(entry.getKey())) {
        entries.remove();
        changed |= entry.getValue().retire(metrics);
        LOG.info("Certificate pair {} is gone; not served any more", entry.getValue().name());
      }
    }
    for (String id : ids) {
      pairs.computeIfAbsent(id, i -> PemPair.inBundle(directory, i));
    }
    return changed;
  }

  /** The pairs, by id. */
  Collection<PemPair> pairs() {
    return pairs.values();
  }

  /** The ids with a {@code .crt} or a {@code .key} file, the first {@link #MAX_PAIRS}. */
  private Optional<SortedSet<String>> ids() {
    TreeSet<String> ids = new TreeSet<>();
    try (Stream<Path> entries = Files.list(directory)) {
      entries
          .map(entry -> entry.getFileName().toString())
          .filter(file -> !file.startsWith("."))
          .filter(file -> file.endsWith(".crt") || file.endsWith(".key"))
          // both suffixes are four characters long
          .forEach(file -> ids.add(file.substring(0, file.length() - 4)));
    } catch (NoSuchFileException e) {
      return Optional.of(ids);
    } catch (IOException e) {
      LOG.warn("Certificate bundle {} cannot be listed; keeping its pairs: {}", directory, e);
      return Optional.empty();
    }
    if (ids.size() > MAX_PAIRS) {
      if (overflowReported != ids.size()) {
        overflowReported = ids.size();
        LOG.warn(
            "Certificate bundle {} holds {} pairs; serving the first {} by id",
            directory,
            ids.size(),
            MAX_PAIRS);
      }
      String firstLeftOut = ids.stream().skip(MAX_PAIRS).findFirst().orElseThrow();
      return Optional.of(ids.headSet(firstLeftOut));
    }
    return Optional.of(ids);
  }
}
