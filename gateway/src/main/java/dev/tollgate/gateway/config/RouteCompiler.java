package dev.tollgate.gateway.config;

import com.google.re2j.Pattern;
import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.CircuitBreaker;
import dev.tollgate.api.v1alpha1.HttpMethod;
import dev.tollgate.api.v1alpha1.Retries;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteBackend.Protocol;
import dev.tollgate.api.v1alpha1.RouteMatch;
import dev.tollgate.api.v1alpha1.RouteSpec;
import dev.tollgate.gateway.backend.Backend;
import dev.tollgate.gateway.backend.BreakerSettings;
import dev.tollgate.gateway.backend.EndpointPools;
import dev.tollgate.gateway.backend.RetryPolicy;
import dev.tollgate.gateway.backend.WeightedBackends;
import dev.tollgate.gateway.route.CompiledRoute;
import dev.tollgate.gateway.route.HostPattern;
import dev.tollgate.gateway.route.PathMatch;
import dev.tollgate.gateway.route.PathRewrite;
import dev.tollgate.gateway.route.RouteFilters;
import dev.tollgate.gateway.route.RouteId;
import dev.tollgate.rules.UpstreamProtocols;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles one route the {@link dev.tollgate.rules.Rulebook} accepted into its matching and
 * proxying form. It validates nothing itself (the rulebook did); whatever still fails here throws,
 * and the caller leaves that route out.
 */
final class RouteCompiler {
  private final EndpointPools pools;

  RouteCompiler(EndpointPools pools) {
    this.pools = pools;
  }

  CompiledRoute compile(SnapshotRoute route, int order) {
    RouteSpec spec = route.spec();
    RouteId id = new RouteId(route.namespace(), route.name());
    return new CompiledRoute(
        id,
        order,
        hosts(spec.getHosts()),
        path(spec.getMatch()),
        methods(spec.getMatch()),
        List.of(),
        List.of(),
        RouteFilters.rewrite(
            spec.getRewrite() == null
                ? PathRewrite.NONE
                : new PathRewrite.ReplacePrefix(spec.getRewrite().getReplacePrefix())),
        WeightedBackends.single(
            backend(id, spec.getBackend(), route.endpoints(), route.appProtocol())),
        Set.of());
  }

  static List<HostPattern> hosts(List<String> hosts) {
    if (hosts == null || hosts.isEmpty()) {
      return List.of(HostPattern.ANY);
    }
    return hosts.stream().map(HostPattern::of).toList();
  }

  private static PathMatch path(RouteMatch match) {
    if (match.getPath() != null) {
      return new PathMatch.Exact(match.getPath());
    }
    if (match.getPathPrefix() != null) {
      return new PathMatch.Prefix(match.getPathPrefix());
    }
    return new PathMatch.Regex(Pattern.compile(match.getPathRegex()));
  }

  private static Set<String> methods(RouteMatch match) {
    if (match.getMethods() == null) {
      return Set.of();
    }
    Set<String> methods = new LinkedHashSet<>();
    for (HttpMethod method : match.getMethods()) {
      methods.add(method.name());
    }
    return methods;
  }

  private Backend backend(
      RouteId id, RouteBackend backend, List<String> endpoints, String appProtocol) {
    String balancer =
        backend.getLoadBalancer() == null
            ? "round-robin"
            : backend.getLoadBalancer().name().toLowerCase(Locale.ROOT).replace('_', '-');
    return backend(
        id.toString(),
        endpoints,
        balancer,
        duration(backend.getTimeout(), RouteBackend.DEFAULT_TIMEOUT),
        retry(backend.getRetries()),
        breaker(backend.getCircuitBreaker()),
        UpstreamProtocols.effective(backend, appProtocol));
  }

  /**
   * A backend of the given endpoints; its pool (and so its breakers and balancer position) is kept
   * across reloads while label, endpoints and settings are unchanged.
   */
  Backend backend(
      String poolLabel,
      List<String> endpoints,
      String balancer,
      Duration timeout,
      RetryPolicy retry,
      BreakerSettings breaker,
      Protocol protocol) {
    return new Backend(
        pools.obtain(poolLabel, uris(endpoints), balancer, breaker), timeout, retry, protocol);
  }

  /** {@code http://host:port} URIs with the port made explicit. */
  private static List<URI> uris(List<String> endpoints) {
    List<URI> uris = new ArrayList<>(endpoints.size());
    for (String endpoint : endpoints) {
      URI uri = URI.create(endpoint);
      int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
      try {
        uris.add(new URI(uri.getScheme(), null, uri.getHost(), port, null, null, null));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("endpoint '" + endpoint + "': " + e.getMessage(), e);
      }
    }
    return uris;
  }

  private static RetryPolicy retry(Retries retries) {
    if (retries == null) {
      return RetryPolicy.NONE;
    }
    int attempts = retries.getAttempts() == null ? 1 : retries.getAttempts();
    List<Retries.RetryOn> on =
        retries.getRetryOn() == null
            ? List.of(Retries.RetryOn.CONNECT_FAILURE)
            : retries.getRetryOn();
    return new RetryPolicy(attempts, Set.copyOf(on));
  }

  static BreakerSettings breaker(CircuitBreaker breaker) {
    if (breaker == null) {
      return BreakerSettings.DEFAULT;
    }
    return new BreakerSettings(
        breaker.getFailureRatio() == null ? 50 : breaker.getFailureRatio(),
        breaker.getVolume() == null ? 20 : breaker.getVolume(),
        duration(breaker.getDelay(), "10s"));
  }

  private static Duration duration(String text, String fallback) {
    return DurationStrings.parse(text == null ? fallback : text);
  }
}
