package dev.tollgate.operator.gatewayapi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which hostnames a route serves through a listener: the intersection of the listener's {@code
 * hostname} and the route's {@code hostnames}, by the Gateway API's rules. A wildcard {@code
 * *.example.com} stands for one or more labels in front of {@code .example.com}; of a wildcard and
 * a name it matches, the name is what is served; of two wildcards, the narrower.
 */
public final class Hostnames {
  private Hostnames() {}

  /**
   * @param listener the listener's hostname; empty = any
   * @param route the route's hostnames; empty = any
   * @return the hostnames served (empty list = any host), or empty when nothing intersects
   */
  public static Optional<List<String>> intersect(Optional<String> listener, List<String> route) {
    if (listener.isEmpty()) {
      return Optional.of(List.copyOf(route));
    }
    if (route.isEmpty()) {
      return Optional.of(List.of(listener.get()));
    }
    Set<String> served = new LinkedHashSet<>();
    for (String host : route) {
      narrower(listener.get(), host).ifPresent(served::add);
    }
    return served.isEmpty() ? Optional.empty() : Optional.of(new ArrayList<>(served));
  }

  private static Optional<String> narrower(String a, String b) {
    if (a.equals(b)) {
      return Optional.of(a);
    }
    if (covers(a, b)) {
      return Optional.of(b);
    }
    if (covers(b, a)) {
      return Optional.of(a);
    }
    return Optional.empty();
  }

  /** Whether wildcard {@code pattern} covers {@code host} (a name or a narrower wildcard). */
  private static boolean covers(String pattern, String host) {
    if (!pattern.startsWith("*.")) {
      return false;
    }
    String suffix = pattern.substring(1);
    String name = host.startsWith("*.") ? host.substring(1) : host;
    return name.length() > suffix.length() && name.endsWith(suffix);
  }
}
