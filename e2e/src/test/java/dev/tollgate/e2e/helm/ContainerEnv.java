package dev.tollgate.e2e.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Collectors;

/** Reads a rendered container's environment. */
final class ContainerEnv {
  private ContainerEnv() {}

  /** Variables with a literal value (not from a Secret or the downward API), by name. */
  static Map<String, String> plain(Container container) {
    return container.getEnv().stream()
        .filter(var -> var.getValueFrom() == null)
        .collect(
            Collectors.toMap(
                EnvVar::getName, var -> Objects.requireNonNullElse(var.getValue(), "")));
  }

  static EnvVar variable(Container container, String name) {
    return container.getEnv().stream()
        .filter(var -> var.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException(name + " not in " + container.getEnv()));
  }

  /** Position of a variable; Kubernetes expands $(VAR) only from variables defined before. */
  static int indexOf(Container container, String name) {
    for (int i = 0; i < container.getEnv().size(); i++) {
      if (container.getEnv().get(i).getName().equals(name)) {
        return i;
      }
    }
    throw new NoSuchElementException(name + " not in " + container.getEnv());
  }
}
