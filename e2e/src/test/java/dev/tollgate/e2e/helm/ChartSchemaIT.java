package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.gateway.GatewaySettings;
import dev.tollgate.redis.RedisTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * values.schema.json refuses bad values before anything reaches the cluster. One values file per
 * mistake under {@code src/test/resources/helm/invalid-values}, its first line {@code # expect:
 * <part of Helm's message>}. What it accepts, the components accept too: its durations are the
 * syntax they parse, and values at its edges start them.
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

  @Test
  void durationsAreCheckedWithTheSyntaxTheComponentsParse() throws IOException {
    var schema =
        new ObjectMapper().readTree(RepositoryPaths.chart().resolve("values.schema.json").toFile());

    assertThat(schema.at("/definitions/duration/pattern").asText())
        .isEqualTo(DurationStrings.PATTERN);
  }

  @Test
  void valuesAtTheEdgesOfTheSchemaAreValuesTheComponentsStartWith() throws Exception {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("schema-edges").manifest();

    GatewaySettings gateway =
        GatewaySettings.from(ContainerEnv.plain(manifest.container("tg-tollgate-gateway")));
    assertThat(gateway.clientLimits().headerTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(gateway.trustedProxies().contains(InetAddress.getByName("10.0.0.1"))).isTrue();
    assertThat(gateway.trustedProxies().contains(InetAddress.getByName("10.0.0.2"))).isFalse();
    assertThat(gateway.redis())
        .get()
        .extracting(r -> r.target())
        .isInstanceOf(RedisTarget.Sentinel.class);

    AnalyticsSettings analytics =
        AnalyticsSettings.from(
            ContainerEnv.plain(manifest.container("tg-tollgate-analytics")), List.of());
    assertThat(analytics.surge().factor()).isEqualTo(1.5);
  }
}
