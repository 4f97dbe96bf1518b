package dev.tollgate.gateway.backend;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The backends of a route and their weights: each request picks one with probability weight / total
 * (HTTPRoute {@code backendRefs}; a Route has one backend). A backend that could not be resolved (a
 * missing Service, a reference no ReferenceGrant allows) keeps its weight: the requests that pick
 * it are answered 500, as the Gateway API specifies, and the others are served. With no weight at
 * all every request gets 500.
 */
public record WeightedBackends(List<Choice> choices, int totalWeight) {
  /**
   * One backendRef.
   *
   * @param backend empty when it could not be resolved
   */
  public record Choice(Optional<Backend> backend, int weight) {}

  public WeightedBackends {
    choices = List.copyOf(choices);
  }

  public static WeightedBackends of(List<Choice> choices) {
    return new WeightedBackends(choices, choices.stream().mapToInt(Choice::weight).sum());
  }

  public static WeightedBackends single(Backend backend) {
    return of(List.of(new Choice(Optional.of(backend), 1)));
  }

  /** The backend for one request; empty = answer 500. */
  public Optional<Backend> pick() {
    if (totalWeight <= 0) {
      return Optional.empty();
    }
    if (choices.size() == 1) {
      return choices.getFirst().backend();
    }
    int ticket = ThreadLocalRandom.current().nextInt(totalWeight);
    for (Choice choice : choices) {
      ticket -= choice.weight();
      if (ticket < 0) {
        return choice.backend();
      }
    }
    throw new IllegalStateException("weights changed while picking");
  }

  /** Every resolved backend (for pools and /admin/config). */
  public List<Backend> resolved() {
    return choices.stream().flatMap(c -> c.backend().stream()).toList();
  }
}
