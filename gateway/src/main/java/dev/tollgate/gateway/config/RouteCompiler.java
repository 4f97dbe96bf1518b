package dev.tollgate.gateway.config;

import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.api.common.Patterns;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.CircuitBreaker;
import dev.tollgate.api.v1alpha1.HttpMethod;
import dev.tollgate.api.v1alpha1.Retries;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteMatch;
import dev.tollgate.api.v1alpha1.RouteSpec;
import dev.tollgate.gateway.problem.GatewayProblems.BadPath;
import dev.tollgate.gateway.proxy.Backend;
import dev.tollgate.gateway.proxy.BreakerSettings;
import dev.tollgate.gateway.proxy.EndpointPools;
import dev.tollgate.gateway.proxy.RetryPolicy;
import dev.tollgate.gateway.route.CompiledRoute;
import dev.tollgate.gateway.route.HostPattern;
import dev.tollgate.gateway.route.PathMatch;
import dev.tollgate.gateway.route.PathNormalizer;
import dev.tollgate.gateway.route.RouteId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates one snapshot route and compiles it. The checks repeat what the CRD schema enforces at
 * {@code kubectl apply}, because the standalone directory and a hand-written Redis snapshot never
 * pass an API server.
 */
final class RouteCompiler {
  private static final Pattern HOST = Pattern.compile(Patterns.HOST);
  private static final Pattern PATH = Pattern.compile(Patterns.PATH);
  private static final Pattern ENDPOINT = Pattern.compile(Patterns.ENDPOINT_URL);

  private final EndpointPools pools;

  RouteCompiler(EndpointPools pools) {
    this.pools = pools;
  }

  /** Empty when the route has problems (they were added to {@code problems}). */
  Optional<CompiledRoute> compile(SnapshotRoute route, int order, Problems problems) {
    RouteSpec spec = route.spec();
    if (spec == null) {
      problems.add("spec", "required");
      return Optional.empty();
    }
    RouteId id = new RouteId(route.namespace(), route.name());
    List<HostPattern> hosts = hosts(spec.getHosts(), problems);
    PathMatch path = path(spec.getMatch(), problems);
    Set<String> methods = methods(spec.getMatch());
    Optional<String> rewrite = rewrite(spec, problems);
    Backend backend = backend(id, spec.getBackend(), route.endpoints(), problems);
    if (path == null || backend == null) {
      return Optional.empty();
    }
    return Optional.of(new CompiledRoute(id, order, hosts, path, methods, rewrite, backend));
  }

  private static List<HostPattern> hosts(List<String> hosts, Problems problems) {
    if (hosts == null || hosts.isEmpty()) {
      return List.of(HostPattern.ANY);
    }
    List<HostPattern> patterns = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i) == null ? "" : hosts.get(i);
      String name = host.startsWith("*.") ? host.substring(2) : host;
      if (!HOST.matcher(name).matches()) {
        problems.add(
            "spec.hosts[" + i + "]",
            "'" + host + "' is not a lower-case DNS name or *.wildcard (no port)");
      } else {
        patterns.add(HostPattern.of(host));
      }
    }
    return patterns;
  }

  private static PathMatch path(RouteMatch match, Problems problems) {
    if (match == null) {
      problems.add("spec.match", "required");
      return null;
    }
    int set =
        (match.getPath() != null ? 1 : 0)
            + (match.getPathPrefix() != null ? 1 : 0)
            + (match.getPathRegex() != null ? 1 : 0);
    if (set != 1) {
      problems.add("spec.match", "exactly one of path, pathPrefix or pathRegex must be set");
      return null;
    }
    if (match.getPath() != null) {
      return canonicalPath("spec.match.path", match.getPath(), problems)
          .map(PathMatch.Exact::new)
          .orElse(null);
    }
    if (match.getPathPrefix() != null) {
      return canonicalPath("spec.match.pathPrefix", match.getPathPrefix(), problems)
          .map(PathMatch.Prefix::new)
          .orElse(null);
    }
    try {
      return new PathMatch.Regex(Pattern.compile(match.getPathRegex()));
    } catch (PatternSyntaxException e) {
      problems.add("spec.match.pathRegex", "invalid regular expression: " + e.getDescription());
      return null;
    }
  }

  /** A match path must already be normalized, or no normalized request could ever equal it. */
  private static Optional<String> canonicalPath(String field, String path, Problems problems) {
    if (!PATH.matcher(path).matches()) {
      problems.add(field, "'" + path + "' must start with / and contain no whitespace, ? or #");
      return Optional.empty();
    }
    try {
      String normalized = PathNormalizer.normalize(path);
      if (!normalized.equals(path)) {
        problems.add(field, "'" + path + "' is not in normalized form; write '" + normalized + "'");
        return Optional.empty();
      }
      return Optional.of(path);
    } catch (BadPath e) {
      problems.add(field, "'" + path + "' can never match: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Set<String> methods(RouteMatch match) {
    if (match == null || match.getMethods() == null) {
      return Set.of();
    }
    Set<String> methods = new LinkedHashSet<>();
    for (HttpMethod method : match.getMethods()) {
      methods.add(method.name());
    }
    return methods;
  }

  private static Optional<String> rewrite(RouteSpec spec, Problems problems) {
    if (spec.getRewrite() == null) {
      return Optional.empty();
    }
    String replacement = spec.getRewrite().getReplacePrefix();
    if (replacement == null) {
      problems.add("spec.rewrite.replacePrefix", "required");
      return Optional.empty();
    }
    if (spec.getMatch() == null || spec.getMatch().getPathPrefix() == null) {
      problems.add("spec.rewrite", "rewrite.replacePrefix needs match.pathPrefix");
      return Optional.empty();
    }
    return canonicalPath("spec.rewrite.replacePrefix", replacement, problems);
  }

  private Backend backend(
      RouteId id, RouteBackend backend, List<String> endpoints, Problems problems) {
    if (backend == null) {
      problems.add("spec.backend", "required");
      return null;
    }
    Duration timeout = duration("spec.backend.timeout", backend.getTimeout(), problems);
    RetryPolicy retry = retry(backend.getRetries(), problems);
    BreakerSettings breaker = breaker(backend.getCircuitBreaker(), problems);
    List<URI> uris = endpoints(endpoints, problems);
    if (timeout == null || retry == null || breaker == null || uris == null) {
      return null;
    }
    String balancer =
        backend.getLoadBalancer() == null
            ? "round-robin"
            : backend.getLoadBalancer().name().toLowerCase(Locale.ROOT).replace('_', '-');
    return new Backend(pools.obtain(id.toString(), uris, balancer, breaker), timeout, retry);
  }

  private static List<URI> endpoints(List<String> endpoints, Problems problems) {
    List<URI> uris = new ArrayList<>(endpoints.size());
    boolean ok = true;
    for (int i = 0; i < endpoints.size(); i++) {
      String endpoint = endpoints.get(i);
      try {
        if (endpoint == null || !ENDPOINT.matcher(endpoint).matches()) {
          throw new IllegalArgumentException("bad syntax");
        }
        URI uri = URI.create(endpoint);
        int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        uris.add(new URI(uri.getScheme(), null, uri.getHost(), port, null, null, null));
      } catch (IllegalArgumentException | java.net.URISyntaxException e) {
        problems.add(
            "spec.backend.endpoints[" + i + "]",
            "'" + endpoint + "' is not a base URL like http://host:port (no path)");
        ok = false;
      }
    }
    return ok ? uris : null;
  }

  private static RetryPolicy retry(Retries retries, Problems problems) {
    if (retries == null) {
      return RetryPolicy.NONE;
    }
    int attempts = retries.getAttempts() == null ? 1 : retries.getAttempts();
    if (attempts < 1 || attempts > 5) {
      problems.add("spec.backend.retries.attempts", "must be 1..5, was " + attempts);
      return null;
    }
    List<Retries.RetryOn> on =
        retries.getRetryOn() == null
            ? List.of(Retries.RetryOn.CONNECT_FAILURE)
            : retries.getRetryOn();
    return new RetryPolicy(attempts, Set.copyOf(on));
  }

  private static BreakerSettings breaker(CircuitBreaker breaker, Problems problems) {
    if (breaker == null) {
      return BreakerSettings.DEFAULT;
    }
    int ratio = breaker.getFailureRatio() == null ? 50 : breaker.getFailureRatio();
    int volume = breaker.getVolume() == null ? 20 : breaker.getVolume();
    String delayText = breaker.getDelay() == null ? "10s" : breaker.getDelay();
    Duration delay = duration("spec.backend.circuitBreaker.delay", delayText, problems);
    boolean ok = delay != null;
    if (ratio < 1 || ratio > 100) {
      problems.add("spec.backend.circuitBreaker.failureRatio", "must be 1..100, was " + ratio);
      ok = false;
    }
    if (volume < 1 || volume > 10000) {
      problems.add("spec.backend.circuitBreaker.volume", "must be 1..10000, was " + volume);
      ok = false;
    }
    return ok ? new BreakerSettings(ratio, volume, delay) : null;
  }

  private static Duration duration(String field, String text, Problems problems) {
    if (text == null) {
      return Duration.ofSeconds(15);
    }
    try {
      return DurationStrings.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(field, e.getMessage());
      return null;
    }
  }
}
