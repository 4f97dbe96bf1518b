package dev.tollgate.gateway.config;

import dev.tollgate.rules.Problem;
import dev.tollgate.rules.ResourceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resources one compilation left out, each with what is wrong with it: found by the rulebook,
 * or by a compiler that could not build it. Filled while compiling, then read (immutable once the
 * compilation is done, see {@link #copy()}).
 */
public final class Rejections {
  private final Map<ResourceId, List<Problem>> byResource = new LinkedHashMap<>();

  /** Records {@code problems} of {@code resource} (added to those already recorded). */
  public void add(ResourceId resource, List<Problem> problems) {
    byResource.computeIfAbsent(resource, r -> new ArrayList<>()).addAll(problems);
  }

  public void add(ResourceId resource, Problem problem) {
    add(resource, List.of(problem));
  }

  public boolean contains(ResourceId resource) {
    return byResource.containsKey(resource);
  }

  public boolean isEmpty() {
    return byResource.isEmpty();
  }

  /** Rejected resources with their problems, in the order they were found. */
  public Map<ResourceId, List<Problem>> byResource() {
    return byResource;
  }

  public long count(ResourceId.Kind kind) {
    return byResource.keySet().stream().filter(id -> id.kind() == kind).count();
  }

  /**
   * One line per problem, each naming where the resource came from: {@code routes.yaml (document 2)
   * Route shop/orders: spec.match: exactly one of path, pathPrefix or pathRegex must be set}.
   */
  public List<String> describe(SourceLocations locations) {
    List<String> lines = new ArrayList<>();
    byResource.forEach(
        (resource, problems) ->
            problems.forEach(p -> lines.add(locations.of(resource) + ": " + p)));
    return lines;
  }

  /** An unmodifiable copy, for a configuration that outlives the compilation. */
  public Rejections copy() {
    Rejections copy = new Rejections();
    byResource.forEach((resource, problems) -> copy.add(resource, List.copyOf(problems)));
    return copy;
  }
}
