package dev.tollgate.gateway.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.rules.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The body of {@code POST /admin/explain}: the request to explain.
 *
 * <pre>
 * {"method": "GET", "path": "/orders/7", "host": "api.example.com",
 *  "headers": {"Authorization": "Bearer ey...", "X-Api-Key": ["k1"]},
 *  "clientIp": "203.0.113.9", "clientCertificate": "CN=team-a,O=example"}
 * </pre>
 *
 * Only {@code path} is required; {@code method} defaults to GET, {@code host} to none (matches
 * routes without hosts), {@code clientIp} to 127.0.0.1 (the address {@code clientIP} key parts use,
 * as the gateway would have resolved it), {@code clientCertificate} (the verified client
 * certificate's subject, as {@code clientCertificate} key parts use it) to none. Header names are
 * case-insensitive.
 */
record ExplainRequest(
    String method,
    String rawPath,
    String host,
    Map<String, List<String>> headers,
    InetAddress clientIp,
    Optional<String> clientCertificate) {

  static ExplainRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    String path = text(body, "path", null);
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("\"path\" is required and must start with '/'");
    }
    Map<String, List<String>> headers = new HashMap<>();
    JsonNode headerNode = body.path("headers");
    if (!headerNode.isMissingNode() && !headerNode.isObject()) {
      throw new IllegalArgumentException("\"headers\" must be an object");
    }
    headerNode
        .properties()
        .forEach(
            e -> {
              List<String> values = new ArrayList<>();
              if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
              } else {
                values.add(e.getValue().asText());
              }
              headers.merge(
                  e.getKey().toLowerCase(Locale.ROOT),
                  values,
                  (a, b) -> {
                    List<String> all = new ArrayList<>(a);
                    all.addAll(b);
                    return all;
                  });
            });
    String ip = text(body, "clientIp", "127.0.0.1");
    InetAddress clientIp = IpLiteral.parseOrNull(ip);
    if (clientIp == null) {
      throw new IllegalArgumentException("\"clientIp\" must be an IP address literal");
    }
    return new ExplainRequest(
        text(body, "method", "GET").toUpperCase(Locale.ROOT),
        path,
        text(body, "host", ""),
        headers,
        clientIp,
        Optional.ofNullable(text(body, "clientCertificate", null)));
  }

  List<String> header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  private static String text(JsonNode body, String field, String fallback) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? fallback : node.asText();
  }
}
