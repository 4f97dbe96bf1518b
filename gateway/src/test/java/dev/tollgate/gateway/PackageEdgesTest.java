package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps the package edges that were untangled one-way: the pipeline hands requests to the proxy
 * through its own {@code Forwarder}, the route table holds backends without knowing how they are
 * called, problems get the stages' headers through {@code StageHeaders}, and the HTTP/1.1 wire code
 * stands alone. Read from the sources, so a new import that turns an edge back fails here.
 */
class PackageEdgesTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/tollgate/gateway");
  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?dev\\.tollgate\\.gateway\\.([a-z0-9.]+)\\.[A-Z]", Pattern.MULTILINE);

  @ParameterizedTest(name = "{0} does not import {1}")
  @CsvSource({
    "pipeline, proxy",
    "route, proxy",
    "route, pipeline",
    "problem, pipeline",
    "backend, proxy",
    "backend, route",
    "backend, pipeline",
    "proxy/http1, ''"
  })
  void packageDoesNotImport(String from, String forbidden) throws IOException {
    String own = from.replace('/', '.');
    assertThat(importsOf(from))
        .isNotEmpty()
        .noneMatch(
            imported ->
                forbidden.isEmpty()
                    ? !imported.equals(own)
                    : imported.equals(forbidden) || imported.startsWith(forbidden + "."));
  }

  /** The gateway packages imported by the package's own files (not its subpackages). */
  private static List<String> importsOf(String dir) throws IOException {
    try (Stream<Path> files = Files.list(SOURCES.resolve(dir))) {
      return files
          .filter(file -> file.toString().endsWith(".java"))
          .flatMap(PackageEdgesTest::imports)
          .toList();
    }
  }

  private static Stream<String> imports(Path file) {
    try {
      Matcher matcher = IMPORT.matcher(Files.readString(file));
      Stream.Builder<String> found = Stream.builder();
      while (matcher.find()) {
        found.add(matcher.group(1));
      }
      // every file counts itself, so a package without gateway imports still has a list to check
      found.add(SOURCES.relativize(file.getParent()).toString().replace('/', '.'));
      return found.build();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
