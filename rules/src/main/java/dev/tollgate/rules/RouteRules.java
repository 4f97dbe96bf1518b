package dev.tollgate.rules;

import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.api.common.Patterns;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.CircuitBreaker;
import dev.tollgate.api.v1alpha1.Retries;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteMatch;
import dev.tollgate.api.v1alpha1.RouteSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The standard rules for a Route. They repeat what the CRD schema checks where a route can arrive
 * without an API server (a standalone directory, a hand-written snapshot), and add what only Java
 * can check: that a regex compiles (as RE2, the linear-time dialect the gateway matches with) and
 * that a match path is already normalized.
 */
final class RouteRules {
  private static final Pattern HOST = Pattern.compile(Patterns.HOST);
  private static final Pattern PATH = Pattern.compile(Patterns.PATH);
  private static final Pattern ENDPOINT = Pattern.compile(Patterns.ENDPOINT_URL);

  /** Retry and circuit breaker bounds, as the CRD schema has them. */
  static final int MAX_RETRY_ATTEMPTS = 5;

  static final int MAX_BREAKER_VOLUME = 10_000;

  private static final String NOT_A_BASE_URL = "is not a base URL like http://host:port (no path)";

  private RouteRules() {}

  static void check(SnapshotRoute route, Problems problems) {
    RouteSpec spec = route.spec();
    hosts(spec.getHosts(), problems);
    match(spec.getMatch(), problems.at("spec.match"));
    rewrite(spec, problems);
    backend(spec.getBackend(), route, problems.at("spec.backend"));
  }

  private static void hosts(List<String> hosts, Problems problems) {
    if (hosts == null) {
      return;
    }
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i) == null ? "" : hosts.get(i);
      if (!HOST.matcher(host).matches()) {
        problems.add(
            "spec.hosts[" + i + "]",
            "'" + host + "' is not a lower-case DNS name or *.wildcard (no port)");
      }
    }
  }

  private static void match(RouteMatch match, Problems at) {
    if (match == null) {
      at.add("", "required");
      return;
    }
    int set =
        (match.getPath() != null ? 1 : 0)
            + (match.getPathPrefix() != null ? 1 : 0)
            + (match.getPathRegex() != null ? 1 : 0);
    if (set != 1) {
      at.add("", "exactly one of path, pathPrefix or pathRegex must be set");
      return;
    }
    if (match.getPath() != null) {
      canonicalPath(match.getPath(), at.at("path"));
    } else if (match.getPathPrefix() != null) {
      canonicalPath(match.getPathPrefix(), at.at("pathPrefix"));
    } else {
      new RegexBudget().check(match.getPathRegex(), at.at("pathRegex"));
    }
    List<?> methods = match.getMethods();
    if (methods != null && methods.contains(null)) {
      at.add("methods", "must not contain null");
    }
  }

  /** A match path must already be normalized, or no normalized request could ever equal it. */
  static void canonicalPath(String path, Problems at) {
    if (!PATH.matcher(path).matches()) {
      at.add("", "'" + path + "' must start with / and contain no whitespace, ? or #");
      return;
    }
    try {
      String normalized = PathNormalizer.normalize(path);
      if (!normalized.equals(path)) {
        at.add("", "'" + path + "' is not in normalized form; write '" + normalized + "'");
      }
    } catch (PathNormalizer.BadPath e) {
      at.add("", "'" + path + "' can never match: " + e.getMessage());
    }
  }

  private static void rewrite(RouteSpec spec, Problems problems) {
    if (spec.getRewrite() == null) {
      return;
    }
    String replacement = spec.getRewrite().getReplacePrefix();
    if (replacement == null) {
      problems.add("spec.rewrite.replacePrefix", "required");
    } else if (spec.getMatch() == null || spec.getMatch().getPathPrefix() == null) {
      problems.add("spec.rewrite", "rewrite.replacePrefix needs match.pathPrefix");
    } else {
      canonicalPath(replacement, problems.at("spec.rewrite.replacePrefix"));
    }
  }

  private static void backend(RouteBackend backend, SnapshotRoute route, Problems at) {
    if (backend == null) {
      at.add("", "required");
      return;
    }
    if ((backend.getService() == null) == (backend.getEndpoints() == null)) {
      at.add("", "exactly one of service or endpoints must be set");
    }
    duration(backend.getTimeout(), at.at("timeout"));
    retries(backend.getRetries(), at.at("retries"));
    breaker(backend.getCircuitBreaker(), at.at("circuitBreaker"));
    if (!UpstreamProtocols.agreesWithSchemes(backend)) {
      at.add("protocol", RouteBackend.PROTOCOL_MATCHES_SCHEME_MESSAGE);
    }
    if (backend.getEndpoints() != null) {
      List<String> endpoints = backend.getEndpoints();
      for (int i = 0; i < endpoints.size(); i++) {
        if (!isBaseUrl(endpoints.get(i))) {
          at.add("endpoints[" + i + "]", "'" + endpoints.get(i) + "' " + NOT_A_BASE_URL);
        }
      }
    } else if (backend.getService() != null) {
      // Resolved by the operator from the Service's EndpointSlices (or its ExternalName): not in
      // the spec, but served, so judged too; the Service is what the user can act on.
      for (String endpoint : route.endpoints()) {
        if (!isBaseUrl(endpoint)) {
          at.add("service", "resolves to '" + endpoint + "', which " + NOT_A_BASE_URL);
        }
      }
    }
  }

  /** {@code http(s)://host[:port]} with nothing after the authority. */
  static boolean isBaseUrl(String endpoint) {
    if (endpoint == null || !ENDPOINT.matcher(endpoint).matches()) {
      return false;
    }
    try {
      URI uri = new URI(endpoint);
      return uri.getHost() != null && uri.getUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static void retries(Retries retries, Problems at) {
    if (retries == null || retries.getAttempts() == null) {
      return;
    }
    int attempts = retries.getAttempts();
    if (attempts < 1 || attempts > MAX_RETRY_ATTEMPTS) {
      at.add("attempts", "must be 1.." + MAX_RETRY_ATTEMPTS + ", was " + attempts);
    }
  }

  private static void breaker(CircuitBreaker breaker, Problems at) {
    if (breaker == null) {
      return;
    }
    if (breaker.getFailureRatio() != null
        && (breaker.getFailureRatio() < 1 || breaker.getFailureRatio() > 100)) {
      at.add("failureRatio", "must be 1..100, was " + breaker.getFailureRatio());
    }
    if (breaker.getVolume() != null
        && (breaker.getVolume() < 1 || breaker.getVolume() > MAX_BREAKER_VOLUME)) {
      at.add("volume", "must be 1.." + MAX_BREAKER_VOLUME + ", was " + breaker.getVolume());
    }
    duration(breaker.getDelay(), at.at("delay"));
  }

  private static void duration(String text, Problems at) {
    if (text == null) {
      return;
    }
    try {
      DurationStrings.parse(text);
    } catch (IllegalArgumentException e) {
      at.add("", e.getMessage());
    }
  }
}
