package dev.tollgate.gateway.config;

import com.google.re2j.Pattern;
import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteBackend.Protocol;
import dev.tollgate.gateway.backend.Backend;
import dev.tollgate.gateway.backend.BreakerSettings;
import dev.tollgate.gateway.backend.RetryPolicy;
import dev.tollgate.gateway.backend.WeightedBackends;
import dev.tollgate.gateway.route.CompiledRoute;
import dev.tollgate.gateway.route.HeaderChanges;
import dev.tollgate.gateway.route.PathMatch;
import dev.tollgate.gateway.route.PathRewrite;
import dev.tollgate.gateway.route.Redirect;
import dev.tollgate.gateway.route.RouteFilters;
import dev.tollgate.gateway.route.RouteId;
import dev.tollgate.gateway.route.ValueMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPURLRewriteFilter;
import io.helidon.http.HeaderNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compiles one HTTPRoute the {@link dev.tollgate.rules.Rulebook} accepted into routes of the
 * routing table: one per match of each rule (a rule without matches matches every path), each with
 * the rule's filters and weighted backends. Like {@link RouteCompiler} it validates nothing itself.
 *
 * <p>Gateway API semantics kept here: a {@code PathPrefix} ignores a trailing {@code /}; header
 * names compare case-insensitively (of two header matches with equivalent names, only the first
 * counts), query parameter names exactly; the client's {@code Host} goes upstream unless a
 * URLRewrite sets another; a backendRef has no timeout of its own, so the Route default applies,
 * and no retries.
 */
final class HttpRouteCompiler {
  private static final BreakerSettings NO_SETTINGS = RouteCompiler.breaker(null);
  private static final Duration TIMEOUT = DurationStrings.parse(RouteBackend.DEFAULT_TIMEOUT);

  private final RouteCompiler routes;

  HttpRouteCompiler(RouteCompiler routes) {
    this.routes = routes;
  }

  /** The route's entries in rule and match order, numbered from {@code order}. */
  List<CompiledRoute> compile(SnapshotHttpRoute route, int order) {
    List<CompiledRoute> compiled = new ArrayList<>();
    Set<String> gateways = Set.copyOf(route.gateways());
    Set<String> ruleNames =
        route.rules().stream()
            .map(SnapshotHttpRoute.Rule::name)
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    for (int r = 0; r < route.rules().size(); r++) {
      SnapshotHttpRoute.Rule rule = route.rules().get(r);
      RouteId id =
          rule.name() == null
              ? RouteId.unnamedHttpRouteRule(route.namespace(), route.name(), r, ruleNames)
              : RouteId.httpRouteRule(route.namespace(), route.name(), rule.name());
      WeightedBackends backends = backends(id, rule.backends());
      List<HTTPRouteMatch> matches =
          rule.matches().isEmpty() ? List.of(new HTTPRouteMatch()) : rule.matches();
      for (HTTPRouteMatch match : matches) {
        PathMatch path = path(match.getPath());
        compiled.add(
            new CompiledRoute(
                id,
                order + compiled.size(),
                RouteCompiler.hosts(route.hostnames()),
                path,
                match.getMethod() == null ? Set.of() : Set.of(match.getMethod()),
                headers(match),
                queryParams(match),
                filters(rule.filters()),
                backends,
                gateways));
      }
    }
    return compiled;
  }

  private static PathMatch path(HTTPPathMatch path) {
    String type = path == null || path.getType() == null ? "PathPrefix" : path.getType();
    String value = path == null || path.getValue() == null ? "/" : path.getValue();
    return switch (type) {
      case "Exact" -> new PathMatch.Exact(value);
      case "RegularExpression" -> new PathMatch.Regex(Pattern.compile(value));
      default ->
          new PathMatch.Prefix(
              value.length() > 1 && value.endsWith("/")
                  ? value.substring(0, value.length() - 1)
                  : value);
    };
  }

  /**
   * One match per header name: names compare case-insensitively, and of entries with equivalent
   * names the Gateway API honours only the first ({@code X-Env} and then {@code x-env}: the second
   * is ignored, not required as well).
   */
  private static List<ValueMatch> headers(HTTPRouteMatch match) {
    if (match.getHeaders() == null) {
      return List.of();
    }
    Map<String, ValueMatch> first = new LinkedHashMap<>();
    for (HTTPHeaderMatch header : match.getHeaders()) {
      first.computeIfAbsent(
          header.getName().toLowerCase(Locale.ROOT),
          name -> valueMatch(name, header.getType(), header.getValue()));
    }
    return List.copyOf(first.values());
  }

  private static List<ValueMatch> queryParams(HTTPRouteMatch match) {
    if (match.getQueryParams() == null) {
      return List.of();
    }
    return match.getQueryParams().stream()
        .map(q -> valueMatch(q.getName(), q.getType(), q.getValue()))
        .toList();
  }

  private static ValueMatch valueMatch(String name, String type, String value) {
    return "RegularExpression".equals(type)
        ? ValueMatch.regex(name, value)
        : ValueMatch.exact(name, value);
  }

  private static RouteFilters filters(List<HTTPRouteFilter> filters) {
    HeaderChanges request = HeaderChanges.NONE;
    HeaderChanges response = HeaderChanges.NONE;
    Optional<Redirect> redirect = Optional.empty();
    PathRewrite path = PathRewrite.NONE;
    Optional<String> host = Optional.empty();
    for (HTTPRouteFilter filter : filters) {
      switch (filter.getType()) {
        case "RequestHeaderModifier" -> request = headerChanges(filter.getRequestHeaderModifier());
        case "ResponseHeaderModifier" ->
            response = headerChanges(filter.getResponseHeaderModifier());
        case "RequestRedirect" -> redirect = Optional.of(redirect(filter.getRequestRedirect()));
        case "URLRewrite" -> {
          HTTPURLRewriteFilter rewrite = filter.getUrlRewrite();
          host = Optional.ofNullable(rewrite.getHostname());
          path = pathRewrite(rewrite.getPath());
        }
        default -> throw new IllegalArgumentException("filter " + filter.getType());
      }
    }
    return new RouteFilters(request, response, redirect, path, host, true);
  }

  private static HeaderChanges headerChanges(HTTPHeaderFilter filter) {
    return new HeaderChanges(
        headers(filter.getSet()),
        headers(filter.getAdd()),
        filter.getRemove() == null
            ? List.of()
            : filter.getRemove().stream().map(HeaderNames::create).toList());
  }

  private static List<HeaderChanges.Header> headers(List<HTTPHeader> headers) {
    return headers == null
        ? List.of()
        : headers.stream().map(h -> HeaderChanges.Header.of(h.getName(), h.getValue())).toList();
  }

  private static Redirect redirect(HTTPRequestRedirectFilter filter) {
    return new Redirect(
        Optional.ofNullable(filter.getScheme()),
        Optional.ofNullable(filter.getHostname()),
        Optional.ofNullable(filter.getPort()),
        pathRewrite(filter.getPath()),
        filter.getStatusCode() == null ? 302 : filter.getStatusCode());
  }

  private static PathRewrite pathRewrite(HTTPPathModifier path) {
    if (path == null) {
      return PathRewrite.NONE;
    }
    return "ReplaceFullPath".equals(path.getType())
        ? new PathRewrite.ReplaceFull(path.getReplaceFullPath())
        : new PathRewrite.ReplacePrefix(path.getReplacePrefixMatch());
  }

  private WeightedBackends backends(RouteId id, List<SnapshotHttpRoute.Backend> refs) {
    List<WeightedBackends.Choice> choices = new ArrayList<>();
    for (SnapshotHttpRoute.Backend ref : refs) {
      Optional<Backend> backend =
          ref.problem() == null
              ? Optional.of(
                  routes.backend(
                      id + " " + ref.ref(),
                      ref.endpoints(),
                      "round-robin",
                      TIMEOUT,
                      RetryPolicy.NONE,
                      NO_SETTINGS,
                      Protocol.HTTP1))
              : Optional.empty();
      choices.add(new WeightedBackends.Choice(backend, ref.weight()));
    }
    return WeightedBackends.of(choices);
  }
}
