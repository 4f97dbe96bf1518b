package dev.tollgate.e2e.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart under test, rendered with the real Helm (helm-java runs Helm's Go code in-process). A
 * render names the release, its namespace, values files and {@code --set} pairs, like {@code helm
 * template}.
 */
final class TollgateChart {
  /** The Kubernetes version the chart is rendered for; the one the test API server runs. */
  static final String KUBE_VERSION = "v1.32.13";

  static final String DEFAULT_NAMESPACE = "tollgate-system";

  private TollgateChart() {}

  static Helm helm() {
    return new Helm(RepositoryPaths.chart());
  }

  static LintResult lint() {
    return helm().lint().strict().call();
  }

  static Render render(String release) {
    return new Render(release, DEFAULT_NAMESPACE, List.of(), new LinkedHashMap<>());
  }

  /** One {@code helm template} invocation, built up immutably. */
  record Render(
      String release, String namespace, List<Path> valuesFiles, Map<String, Object> sets) {
    Render inNamespace(String name) {
      return new Render(release, name, valuesFiles, sets);
    }

    /** Adds {@code src/test/resources/helm/values/<name>.yaml}. */
    Render withValues(String name) {
      return withValuesFile(RepositoryPaths.testResource("values/" + name + ".yaml"));
    }

    Render withValuesFile(Path file) {
      List<Path> files = new java.util.ArrayList<>(valuesFiles);
      files.add(file);
      return new Render(release, namespace, List.copyOf(files), sets);
    }

    Render set(String key, Object value) {
      Map<String, Object> copy = new LinkedHashMap<>(sets);
      copy.put(key, value);
      return new Render(release, namespace, valuesFiles, copy);
    }

    /** The rendered manifest as Helm prints it; throws with Helm's message on any error. */
    String yaml() {
      TemplateCommand command =
          helm()
              .template()
              .withName(release)
              .withNamespace(namespace)
              .withKubeVersion(KUBE_VERSION);
      for (Path file : valuesFiles) {
        command = command.withValuesFile(file);
      }
      for (var entry : sets.entrySet()) {
        command = command.set(entry.getKey(), entry.getValue());
      }
      return command.call();
    }

    RenderedManifest manifest() {
      return RenderedManifest.parse(yaml());
    }
  }
}
