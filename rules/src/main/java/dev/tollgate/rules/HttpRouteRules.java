package dev.tollgate.rules;

import dev.tollgate.api.common.Patterns;
import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPURLRewriteFilter;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for an HTTPRoute as Tollgate serves it. The Gateway API CRDs validate the shape at
 * {@code kubectl apply}; these add what only Java can check (regular expressions compile, paths are
 * in the normalized form requests are matched in) and what Tollgate does not serve: a filter type
 * other than the four it implements is refused with reason {@code UnsupportedValue} (the Gateway
 * API reason), so the route is not accepted rather than served without its filter.
 */
final class HttpRouteRules {
  /** The Gateway API's reason for a field value an implementation does not support. */
  static final String UNSUPPORTED_VALUE = "UnsupportedValue";

  static final String REQUEST_HEADER_MODIFIER = "RequestHeaderModifier";
  static final String RESPONSE_HEADER_MODIFIER = "ResponseHeaderModifier";
  static final String REQUEST_REDIRECT = "RequestRedirect";
  static final String URL_REWRITE = "URLRewrite";

  private static final Set<String> FILTERS =
      Set.of(REQUEST_HEADER_MODIFIER, RESPONSE_HEADER_MODIFIER, REQUEST_REDIRECT, URL_REWRITE);
  private static final Set<String> MATCH_TYPES = Set.of("Exact", "RegularExpression");
  private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);
  private static final Pattern HOST = Pattern.compile(Patterns.HOST);
  private static final Pattern HEADER_NAME = Pattern.compile(Patterns.HEADER_NAME);

  private HttpRouteRules() {}

  static void check(SnapshotHttpRoute route, Problems problems) {
    List<String> hostnames = route.hostnames();
    for (int i = 0; i < hostnames.size(); i++) {
      if (hostnames.get(i) == null || !HOST.matcher(hostnames.get(i)).matches()) {
        problems.add("spec.hostnames[" + i + "]", "'" + hostnames.get(i) + "' is not a host name");
      }
    }
    List<SnapshotHttpRoute.Rule> rules = route.rules();
    RegexBudget regexes = new RegexBudget();
    for (int i = 0; i < rules.size(); i++) {
      rule(rules.get(i), regexes, problems.at("spec.rules[" + i + "]"));
    }
  }

  private static void rule(SnapshotHttpRoute.Rule rule, RegexBudget regexes, Problems at) {
    for (int i = 0; i < rule.matches().size(); i++) {
      match(rule.matches().get(i), regexes, at.at("matches[" + i + "]"));
    }
    boolean redirect = false;
    boolean rewrite = false;
    for (int i = 0; i < rule.filters().size(); i++) {
      HTTPRouteFilter filter = rule.filters().get(i);
      Problems filterAt = at.at("filters[" + i + "]");
      String type = filter == null ? null : filter.getType();
      if (type == null || !FILTERS.contains(type)) {
        filterAt.add(
            "type",
            UNSUPPORTED_VALUE,
            "'" + type + "' is not supported; Tollgate implements " + String.join(", ", sorted()));
        continue;
      }
      redirect |= type.equals(REQUEST_REDIRECT);
      rewrite |= type.equals(URL_REWRITE);
      switch (type) {
        case REQUEST_HEADER_MODIFIER ->
            headerFilter(filter.getRequestHeaderModifier(), filterAt.at("requestHeaderModifier"));
        case RESPONSE_HEADER_MODIFIER ->
            headerFilter(filter.getResponseHeaderModifier(), filterAt.at("responseHeaderModifier"));
        case REQUEST_REDIRECT ->
            redirect(filter.getRequestRedirect(), rule, filterAt.at("requestRedirect"));
        default -> rewrite(filter.getUrlRewrite(), rule, filterAt.at("urlRewrite"));
      }
    }
    if (redirect && rewrite) {
      at.add("filters", "RequestRedirect and URLRewrite cannot be used together");
    }
    for (int i = 0; i < rule.backends().size(); i++) {
      SnapshotHttpRoute.Backend backend = rule.backends().get(i);
      Problems backendAt = at.at("backendRefs[" + i + "]");
      if (backend.weight() < 0 || backend.weight() > 1_000_000) {
        backendAt.add("weight", "must be 0..1000000, was " + backend.weight());
      }
      for (String endpoint : backend.endpoints()) {
        if (!RouteRules.isBaseUrl(endpoint)) {
          backendAt.add("", "resolves to '" + endpoint + "', which is not a base URL");
        }
      }
    }
  }

  private static List<String> sorted() {
    return FILTERS.stream().sorted().toList();
  }

  private static void match(HTTPRouteMatch match, RegexBudget regexes, Problems at) {
    if (match == null) {
      return;
    }
    if (match.getPath() != null) {
      String type = match.getPath().getType() == null ? "PathPrefix" : match.getPath().getType();
      String value = match.getPath().getValue() == null ? "/" : match.getPath().getValue();
      switch (type) {
        case "Exact", "PathPrefix" -> RouteRules.canonicalPath(value, at.at("path.value"));
        case "RegularExpression" -> regexes.check(value, at.at("path.value"));
        default -> at.add("path.type", UNSUPPORTED_VALUE, "'" + type + "' is not supported");
      }
    }
    List<HTTPHeaderMatch> headers = match.getHeaders() == null ? List.of() : match.getHeaders();
    for (int i = 0; i < headers.size(); i++) {
      HTTPHeaderMatch header = headers.get(i);
      Problems headerAt = at.at("headers[" + i + "]");
      headerName(header.getName(), headerAt.at("name"));
      valueMatch(header.getType(), header.getValue(), regexes, headerAt);
    }
    List<HTTPQueryParamMatch> query =
        match.getQueryParams() == null ? List.of() : match.getQueryParams();
    for (int i = 0; i < query.size(); i++) {
      HTTPQueryParamMatch param = query.get(i);
      Problems paramAt = at.at("queryParams[" + i + "]");
      if (param.getName() == null || param.getName().isEmpty()) {
        paramAt.add("name", "required");
      }
      valueMatch(param.getType(), param.getValue(), regexes, paramAt);
    }
    if (match.getMethod() != null && !HEADER_NAME.matcher(match.getMethod()).matches()) {
      at.add("method", "'" + match.getMethod() + "' is not an HTTP method");
    }
  }

  private static void valueMatch(String type, String value, RegexBudget regexes, Problems at) {
    String kind = type == null ? "Exact" : type;
    if (!MATCH_TYPES.contains(kind)) {
      at.add("type", UNSUPPORTED_VALUE, "'" + kind + "' is not supported");
    } else if (value == null) {
      at.add("value", "required");
    } else if (kind.equals("RegularExpression")) {
      regexes.check(value, at.at("value"));
    }
  }

  private static void headerName(String name, Problems at) {
    if (name == null || !HEADER_NAME.matcher(name).matches()) {
      at.add("", "'" + name + "' is not an HTTP header name");
    }
  }

  private static void headerFilter(HTTPHeaderFilter filter, Problems at) {
    if (filter == null) {
      at.add("", "required by its type");
      return;
    }
    List<HTTPHeader> set = filter.getSet() == null ? List.of() : filter.getSet();
    for (int i = 0; i < set.size(); i++) {
      headerName(set.get(i).getName(), at.at("set[" + i + "].name"));
    }
    List<HTTPHeader> add = filter.getAdd() == null ? List.of() : filter.getAdd();
    for (int i = 0; i < add.size(); i++) {
      headerName(add.get(i).getName(), at.at("add[" + i + "].name"));
    }
    for (String name : filter.getRemove() == null ? List.<String>of() : filter.getRemove()) {
      headerName(name, at.at("remove"));
    }
  }

  private static void redirect(
      HTTPRequestRedirectFilter redirect, SnapshotHttpRoute.Rule rule, Problems at) {
    if (redirect == null) {
      at.add("", "required by its type");
      return;
    }
    if (redirect.getStatusCode() != null && !REDIRECT_CODES.contains(redirect.getStatusCode())) {
      at.add("statusCode", UNSUPPORTED_VALUE, "must be one of 301, 302, 303, 307, 308");
    }
    if (redirect.getScheme() != null && !Set.of("http", "https").contains(redirect.getScheme())) {
      at.add("scheme", UNSUPPORTED_VALUE, "must be http or https");
    }
    pathModifier(redirect.getPath(), rule, at.at("path"));
  }

  private static void rewrite(
      HTTPURLRewriteFilter rewrite, SnapshotHttpRoute.Rule rule, Problems at) {
    if (rewrite == null) {
      at.add("", "required by its type");
      return;
    }
    if (rewrite.getHostname() != null && !HOST.matcher(rewrite.getHostname()).matches()) {
      at.add("hostname", "'" + rewrite.getHostname() + "' is not a host name");
    }
    pathModifier(rewrite.getPath(), rule, at.at("path"));
  }

  private static void pathModifier(
      HTTPPathModifier path, SnapshotHttpRoute.Rule rule, Problems at) {
    if (path == null) {
      return;
    }
    switch (path.getType() == null ? "" : path.getType()) {
      case "ReplaceFullPath" -> RouteRules.canonicalPath(nonNull(path.getReplaceFullPath()), at);
      case "ReplacePrefixMatch" -> {
        RouteRules.canonicalPath(nonNull(path.getReplacePrefixMatch()), at);
        // a rule without matches matches PathPrefix "/"
        boolean allPrefix =
            rule.matches().stream()
                .allMatch(
                    m ->
                        m.getPath() == null
                            || m.getPath().getType() == null
                            || m.getPath().getType().equals("PathPrefix"));
        if (!allPrefix) {
          at.add("", "ReplacePrefixMatch needs every match of the rule to be a PathPrefix");
        }
      }
      default -> at.add("type", UNSUPPORTED_VALUE, "'" + path.getType() + "' is not supported");
    }
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
