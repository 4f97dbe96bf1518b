package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The helm commands the README and the install guide give: each renders, and runs every image the
 * build makes (gateway, operator, analytics) from the same registry, tag and pull policy. A command
 * that sets them for some components only starts the others from an image that was never built.
 */
class ChartDocumentedCommandsIT {
  /** An image the build makes: {@code [registry/]tollgate/<module>:<tag>}. */
  private static final Pattern BUILT_IMAGE = Pattern.compile("(.*)tollgate/[a-z]+:(.+)");

  static Stream<DocumentedHelmCommand> commands() throws IOException {
    List<DocumentedHelmCommand> commands = new ArrayList<>();
    for (String file : List.of("README.md", "docs/install.md", "examples/k8s/README.md")) {
      commands.addAll(DocumentedHelmCommand.in(file));
    }
    assertThat(commands).as("helm install/upgrade commands in the docs").hasSizeGreaterThan(4);
    return commands.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void runsEveryBuiltImageFromTheSameRegistryTagAndPullPolicy(DocumentedHelmCommand command) {
    List<Container> built =
        command.render().manifest().all(Deployment.class).stream()
            .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
            .filter(c -> BUILT_IMAGE.matcher(c.getImage()).matches())
            .toList();

    assertThat(built).extracting(Container::getName).contains("gateway", "operator", "analytics");
    assertThat(built)
        .as("registry and tag of %s", built.stream().map(Container::getImage).toList())
        .extracting(c -> BUILT_IMAGE.matcher(c.getImage()).replaceFirst("$1 $2"))
        .containsOnly(BUILT_IMAGE.matcher(built.getFirst().getImage()).replaceFirst("$1 $2"));
    assertThat(built)
        .as("pull policies")
        .extracting(Container::getImagePullPolicy)
        .containsOnly(built.getFirst().getImagePullPolicy());
  }
}
