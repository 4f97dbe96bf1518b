package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * values.schema.json refuses bad values before anything reaches the cluster. One values file per
 * mistake under {@code src/test/resources/helm/invalid-values}, its first line {@code # expect:
 * <part of Helm's message>}.
 */
class ChartSchemaIT {
  private static final String EXPECT = "# expect: ";

  static Stream<Path> invalidValues() throws IOException {
    try (Stream<Path> files = Files.list(RepositoryPaths.testResource("invalid-values"))) {
      List<Path> sorted = files.sorted().toList();
      assertThat(sorted).as("invalid values fixtures").hasSizeGreaterThan(10);
      return sorted.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidValues")
  void refusesInvalidValuesNamingTheField(Path values) throws IOException {
    String expected = Files.readAllLines(values).getFirst();
    assertThat(expected).as("first line of %s", values).startsWith(EXPECT);

    assertThatThrownBy(() -> TollgateChart.render("tg").withValuesFile(values).yaml())
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(expected.substring(EXPECT.length()));
  }
}
