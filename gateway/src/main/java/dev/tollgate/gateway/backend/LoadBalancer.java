package dev.tollgate.gateway.backend;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Chooses one endpoint among the healthy candidates of a route. */
public sealed interface LoadBalancer {

  /** {@code candidates} is never empty. */
  Endpoint choose(List<Endpoint> candidates);

  /** The names used in {@code spec.backend.loadBalancer}. */
  static LoadBalancer named(String name) {
    return switch (name == null ? "round-robin" : name.toLowerCase(Locale.ROOT)) {
      case "round-robin" -> new RoundRobin();
      case "least-request" -> new LeastRequest();
      case "random" -> new Random();
      default ->
          throw new IllegalArgumentException(
              "unknown load balancer '" + name + "' (round-robin, least-request, random)");
    };
  }

  /** Cycles through the candidates; the counter is shared by all requests of the route. */
  final class RoundRobin implements LoadBalancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Endpoint choose(List<Endpoint> candidates) {
      return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
    }
  }

  /**
   * Power of two choices: samples two distinct candidates at random and takes the one with fewer
   * requests in flight. Close to the best choice without scanning all endpoints, and it avoids the
   * herd effect of always picking the global minimum.
   */
  final class LeastRequest implements LoadBalancer {
    @Override
    public Endpoint choose(List<Endpoint> candidates) {
      int size = candidates.size();
      if (size == 1) {
        return candidates.getFirst();
      }
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int first = random.nextInt(size);
      int second = (first + 1 + random.nextInt(size - 1)) % size;
      Endpoint a = candidates.get(first);
      Endpoint b = candidates.get(second);
      return b.inFlight() < a.inFlight() ? b : a;
    }
  }

  /** Uniformly random. */
  final class Random implements LoadBalancer {
    @Override
    public Endpoint choose(List<Endpoint> candidates) {
      return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    }
  }
}
