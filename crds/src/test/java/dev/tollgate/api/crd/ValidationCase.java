package dev.tollgate.api.crd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One manifest under {@code crd-validation/<kind>/<field path>/}: {@code valid-*.yaml} must be
 * accepted, {@code invalid-*.yaml} refused with every {@code # expect: <text>} line of the file
 * appearing in kubectl's error output, and with an error for the folder's field path (list indices
 * aside: folder {@code spec.limits.cost} matches {@code spec.limits[0].cost}).
 */
record ValidationCase(
    String name, String fieldPath, String yaml, boolean valid, List<String> expectedMessages) {
  static final String EXPECT = "# expect: ";

  static Stream<ValidationCase> all() {
    Path root = root();
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .map(f -> load(root, f))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ValidationCase load(Path root, Path file) {
    try {
      String yaml = Files.readString(file);
      boolean valid = file.getFileName().toString().startsWith("valid-");
      List<String> expected =
          yaml.lines()
              .filter(l -> l.startsWith(EXPECT))
              .map(l -> l.substring(EXPECT.length()))
              .toList();
      if (!valid && expected.isEmpty()) {
        throw new IllegalStateException(file + " has no '" + EXPECT + "' line");
      }
      return new ValidationCase(
          root.relativize(file).toString(),
          file.getParent().getFileName().toString(),
          yaml,
          valid,
          expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path root() {
    try {
      return Path.of(ValidationCase.class.getResource("/crd-validation").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
