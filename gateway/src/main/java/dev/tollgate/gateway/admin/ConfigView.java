package dev.tollgate.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.gateway.backend.Endpoint;
import dev.tollgate.gateway.backend.WeightedBackends;
import dev.tollgate.gateway.config.ActiveConfig;
import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.gateway.route.CompiledRoute;
import dev.tollgate.gateway.route.HostPattern;
import dev.tollgate.gateway.route.PathMatch;
import dev.tollgate.gateway.route.PathRewrite;
import dev.tollgate.gateway.route.Redirect;
import dev.tollgate.gateway.route.ValueMatch;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /admin/config}: the configuration being served (version, origin, routes in
 * precedence-relevant form with live endpoint state, the resources left out with their problems,
 * and the source snapshot). Admin socket only: it shows upstream addresses.
 */
public final class ConfigView implements Handler {
  private final ActiveConfig active;
  private final ObjectMapper json = ApiJson.mapper();

  public ConfigView(ActiveConfig active) {
    this.active = active;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) throws Exception {
    res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json"));
    var current = active.current();
    if (current.isEmpty()) {
      res.status(Status.SERVICE_UNAVAILABLE_503).send("{\"loaded\":false}");
      return;
    }
    res.send(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(view(current.get())));
  }

  private ObjectNode view(GatewayConfig config) {
    ObjectNode root = json.createObjectNode();
    root.put("loaded", true);
    root.put("version", config.version());
    root.put("origin", config.origin());
    root.put("loadedAt", config.loadedAt().toString());
    ArrayNode routes = root.putArray("routes");
    for (CompiledRoute route : config.routes().routes()) {
      ObjectNode r = routes.addObject();
      r.put("route", route.id().toString());
      ArrayNode hosts = r.putArray("hosts");
      route.hosts().stream().map(HostPattern::pattern).forEach(hosts::add);
      ObjectNode match = r.putObject("match");
      switch (route.path()) {
        case PathMatch.Exact exact -> match.put("path", exact.path());
        case PathMatch.Prefix prefix -> match.put("pathPrefix", prefix.prefix());
        case PathMatch.Regex regex -> match.put("pathRegex", regex.pattern().pattern());
      }
      ArrayNode methods = match.putArray("methods");
      route.methods().forEach(methods::add);
      if (!route.headers().isEmpty()) {
        ArrayNode headers = match.putArray("headers");
        route.headers().forEach(h -> headers.add(describe(h)));
      }
      if (!route.queryParams().isEmpty()) {
        ArrayNode params = match.putArray("queryParams");
        route.queryParams().forEach(q -> params.add(describe(q)));
      }
      describe(route.filters().pathRewrite(), r);
      route.filters().redirect().ifPresent(redirect -> describe(redirect, r.putObject("redirect")));
      ArrayNode backends = r.putArray("backends");
      for (WeightedBackends.Choice choice : route.backends().choices()) {
        ObjectNode b = backends.addObject().put("weight", choice.weight());
        if (choice.backend().isEmpty()) {
          b.put("invalid", true);
          continue;
        }
        b.put("timeout", choice.backend().get().timeout().toString());
        ArrayNode endpoints = b.putArray("endpoints");
        for (Endpoint endpoint : choice.backend().get().pool().endpoints()) {
          endpoints
              .addObject()
              .put("uri", endpoint.uri().toString())
              .put("ejected", endpoint.isEjected())
              .put("inFlight", endpoint.inFlight());
        }
      }
    }
    ArrayNode rejected = root.putArray("rejected");
    config
        .rejected()
        .byResource()
        .forEach(
            (resource, problems) -> {
              ObjectNode r = rejected.addObject().put("resource", resource.toString());
              ArrayNode list = r.putArray("problems");
              problems.forEach(p -> list.add(p.toString()));
            });
    root.set("snapshot", json.valueToTree(config.snapshot()));
    return root;
  }

  /**
   * A rewrite under the names the resources give it: {@code replacePrefix}, {@code
   * replaceFullPath}.
   */
  private static void describe(PathRewrite rewrite, ObjectNode into) {
    switch (rewrite) {
      case PathRewrite.None none -> {}
      case PathRewrite.ReplacePrefix prefix -> into.put("replacePrefix", prefix.replacement());
      case PathRewrite.ReplaceFull full -> into.put("replaceFullPath", full.path());
    }
  }

  /** A redirect's fields as set; those left out take the request's (scheme, host, port). */
  private static void describe(Redirect redirect, ObjectNode into) {
    into.put("statusCode", redirect.statusCode());
    redirect.scheme().ifPresent(scheme -> into.put("scheme", scheme));
    redirect.hostname().ifPresent(hostname -> into.put("hostname", hostname));
    redirect.port().ifPresent(port -> into.put("port", port));
    describe(redirect.path(), into);
  }

  private static String describe(ValueMatch match) {
    return match.name()
        + (match.regex() == null ? " = " + match.exact() : " ~ " + match.regex().pattern());
  }
}
