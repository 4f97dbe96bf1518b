package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart ships exactly the CRDs the crds module generates: the files byte for byte (run {@code
 * helm/sync-crds.sh} after changing the API model), and the rendered objects with the same spec,
 * adding only labels and the keep annotation.
 */
class ChartCrdsIT {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void chartCopiesAreByteIdenticalToTheGeneratedCrds() throws IOException {
    Path inChart = RepositoryPaths.chart().resolve("files/crds");
    List<String> generated = fileNames(RepositoryPaths.generatedCrds());

    assertThat(generated)
        .containsExactlyInAnyOrder(
            "ratelimitpolicies.tollgate.dev-v1.yml", "routes.tollgate.dev-v1.yml");
    assertThat(fileNames(inChart))
        .as("files in %s (run helm/sync-crds.sh)", inChart)
        .containsExactlyInAnyOrderElementsOf(generated);
    for (String name : generated) {
      assertThat(
              Files.mismatch(inChart.resolve(name), RepositoryPaths.generatedCrds().resolve(name)))
          .withFailMessage("%s differs from crds/generated (run helm/sync-crds.sh)", name)
          .isEqualTo(-1L);
    }
  }

  @Test
  void renderedCrdsEqualTheGeneratedOnesApartFromChartMetadata() throws IOException {
    List<CustomResourceDefinition> rendered =
        TollgateChart.render("tg").manifest().all(CustomResourceDefinition.class);

    assertThat(rendered).hasSize(2);
    for (CustomResourceDefinition crd : rendered) {
      CustomResourceDefinition generated = generated(crd.getMetadata().getName());
      assertThat(crd.getSpec())
          .withFailMessage(
              "rendered CRD %s differs from crds/generated", crd.getMetadata().getName())
          .isEqualTo(generated.getSpec());
      assertThat(crd.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsEntry("app.kubernetes.io/component", "crds");
      assertThat(crd.getMetadata().getAnnotations())
          .containsEntry("helm.sh/resource-policy", "keep");
    }
  }

  @Test
  void crdsAreDeletedWithTheReleaseOnlyWhenAsked() {
    List<CustomResourceDefinition> rendered =
        TollgateChart.render("tg")
            .set("crds.keep", false)
            .manifest()
            .all(CustomResourceDefinition.class);

    assertThat(rendered)
        .hasSize(2)
        .allSatisfy(crd -> assertThat(crd.getMetadata().getAnnotations()).isNullOrEmpty());
  }

  private static CustomResourceDefinition generated(String name) throws IOException {
    try (Stream<Path> files = Files.list(RepositoryPaths.generatedCrds())) {
      return files
          .map(ChartCrdsIT::read)
          .filter(crd -> crd.getMetadata().getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no generated CRD named " + name));
    }
  }

  private static CustomResourceDefinition read(Path file) {
    try {
      return SERIALIZATION.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yml")).toList();
    }
  }
}
