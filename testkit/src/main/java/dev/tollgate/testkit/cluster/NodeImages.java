package dev.tollgate.testkit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The images {@code tools/provision.sh} builds for the cluster (tools/images.sh): their tarballs
 * and the references they carry, read from {@code refs.env} beside them.
 */
public final class NodeImages {
  private NodeImages() {}

  /** {@code ${TOLLGATE_CACHE_DIR:-~/.cache/tollgate}/images}, as tools/cache-layout.sh says. */
  public static Path directory() {
    String cache = System.getenv("TOLLGATE_CACHE_DIR");
    Path base =
        cache != null
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "tollgate");
    return base.resolve("images");
  }

  /** The tarball of an image, e.g. {@code redis} for {@code redis.tar}. */
  public static Path tarball(String name) {
    Path tar = directory().resolve(name + ".tar");
    if (!Files.isRegularFile(tar)) {
      throw new IllegalStateException("no image " + tar + ": run tools/provision.sh");
    }
    return tar;
  }

  /** The reference of an image by its key in refs.env, e.g. {@code REDIS}. */
  public static String ref(String key) {
    String ref = refs().get(key);
    if (ref == null) {
      throw new IllegalStateException("no image " + key + " in " + directory() + "/refs.env");
    }
    return ref;
  }

  private static Map<String, String> refs() {
    try {
      return Files.readAllLines(directory().resolve("refs.env")).stream()
          .filter(line -> line.contains("=") && !line.startsWith("#"))
          .collect(
              Collectors.toMap(
                  line -> line.substring(0, line.indexOf('=')),
                  line -> line.substring(line.indexOf('=') + 1)));
    } catch (IOException e) {
      throw new UncheckedIOException("no image list: run tools/provision.sh", e);
    }
  }
}
