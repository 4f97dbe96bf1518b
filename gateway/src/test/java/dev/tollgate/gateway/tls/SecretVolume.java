package dev.tollgate.gateway.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory laid out as the kubelet mounts a Secret: the files live in a timestamped {@code
 * ..<n>} directory, {@code ..data} links to it, and {@code tls.crt} / {@code tls.key} link through
 * {@code ..data}. An update writes a new {@code ..<n>} and renames a new link over {@code ..data},
 * so readers see the old pair or the new one, never a mix (unless the update itself is a mix).
 */
final class SecretVolume {
  private final Path dir;
  private final AtomicInteger generation = new AtomicInteger();

  SecretVolume(Path dir, Path pair) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      publish(pair);
      Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data/tls.crt"));
      Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data/tls.key"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    try {
      Path data = dir.resolve("..2026_12_05_" + generation.incrementAndGet());
      Files.createDirectory(data);
      Files.copy(certificate, data.resolve("tls.crt"));
      Files.copy(key, data.resolve("tls.key"));
      Path link = dir.resolve("..data_tmp");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, data.getFileName());
      Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
