package dev.tollgate.gateway.tls;

import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory laid out as the kubelet mounts a Secret: the files live in a timestamped {@code
 * ..<n>} directory, {@code ..data} links to it, and each key's file links through {@code ..data}.
 * An update writes a new {@code ..<n>} and renames a new link over {@code ..data}, then links the
 * keys that are new, unlinks the keys that are gone and deletes the old {@code ..<n>}, so readers
 * see the old files or the new ones, never a mix (unless the update itself is a mix).
 */
final class SecretVolume {
  private final Path dir;
  private final AtomicInteger generation = new AtomicInteger();
  private final Set<String> linked = new HashSet<>();
  private Path data;

  /** A volume not mounted yet: {@code dir} appears with the first {@link #publish}. */
  SecretVolume(Path dir) {
    this.dir = dir;
  }

  /** A {@code kubernetes.io/tls} Secret holding the pair in {@code pair}. */
  SecretVolume(Path dir, Path pair) {
    this(dir);
    publish(pair);
  }

  Path dir() {
    return dir;
  }

  /** Publishes the pair in {@code pair} (a directory with tls.crt and tls.key). */
  void publish(Path pair) {
    publish(pair.resolve("tls.crt"), pair.resolve("tls.key"));
  }

  /** Publishes a certificate and a key that need not belong together. */
  void publish(Path certificate, Path key) {
    publish(Map.of("tls.crt", certificate, "tls.key", key));
  }

  /** Publishes the Secret's keys as {@code key → file holding its value}, replacing all others. */
  void publish(Map<String, Path> keys) {
    try {
      Files.createDirectories(dir);
      Path next = dir.resolve("..2026_12_05_" + generation.incrementAndGet());
      Files.createDirectory(next);
      for (Map.Entry<String, Path> key : keys.entrySet()) {
        Files.copy(key.getValue(), next.resolve(key.getKey()));
      }
      Path link = dir.resolve("..data_tmp");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, next.getFileName());
      Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
      Path old = data;
      data = next;
      for (String key : keys.keySet()) {
        if (linked.add(key)) {
          Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
        }
      }
      for (String gone : Set.copyOf(linked)) {
        if (!keys.containsKey(gone)) {
          Files.delete(dir.resolve(gone));
          linked.remove(gone);
        }
      }
      if (old != null) {
        TempDirs.deleteRecursively(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
