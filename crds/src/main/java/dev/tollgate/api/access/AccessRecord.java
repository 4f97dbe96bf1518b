package dev.tollgate.api.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one request leaves behind: the access log line (JSON, by the gateway) and the entry in the
 * access stream (compact, read by the analytics service) carry the same facts.
 *
 * <p>Stream entries use one-letter field names, always the same set in the same order: Redis stores
 * the field names of such entries once per stream node (listpack) and only the values per entry,
 * which keeps an entry near 100 bytes.
 *
 * @param timeMillis when the request arrived, epoch milliseconds (the gateway's clock)
 * @param requestId the {@code X-Request-Id} the client got back
 * @param traceId W3C trace id (32 hex), empty when the request was not traced
 * @param route the matched route {@code namespace/name}; empty when none matched
 * @param method the request method
 * @param path the normalized path with identifier segments replaced ({@code /orders/{id}})
 * @param status the response status
 * @param bytes response body bytes sent, -1 when unknown
 * @param durationMicros from the request's arrival until its response was sent
 * @param upstream the upstream endpoint of the last attempt ({@code http://host:port}), empty when
 *     none was called
 * @param upstreamMicros time of that attempt until the response headers arrived, -1 without one
 * @param client the client: its IP address, or {@code sub:<hash>} (a hash of the verified token's
 *     subject) when a token was verified; never a token or other credential
 * @param limits the rate-limit decisions made for this request, in order
 */
public record AccessRecord(
    long timeMillis,
    String requestId,
    String traceId,
    String route,
    String method,
    String path,
    int status,
    long bytes,
    long durationMicros,
    String upstream,
    long upstreamMicros,
    String client,
    List<LimitDecision> limits) {

  public AccessRecord {
    limits = List.copyOf(limits);
  }

  /**
   * One limit's decision for the request.
   *
   * @param policy the policy's {@code namespace/name}
   * @param limit the limit's name in the policy
   * @param decision {@code allowed}, {@code limited}, {@code shadow_limited} (a shadow limit that
   *     would have refused) or {@code error} (Redis failed; the failure mode decided)
   * @param remaining requests left after this one, -1 when unknown ({@code error})
   */
  public record LimitDecision(String policy, String limit, String decision, long remaining) {
    /** The decision that refused the request. */
    public static final String LIMITED = "limited";

    public boolean limited() {
      return LIMITED.equals(decision);
    }

    /** {@code namespace/policy/limit}, the label reports and metrics use. */
    public String id() {
      return policy + "/" + limit;
    }
  }

  /** Whether an enforced limit refused this request. */
  public boolean limited() {
    for (LimitDecision decision : limits) {
      if (decision.limited()) {
        return true;
      }
    }
    return false;
  }

  /** The stream entry: field name to value, in the fixed order. */
  public Map<String, String> toStreamFields() {
    Map<String, String> fields = new LinkedHashMap<>(20);
    fields.put("t", Long.toString(timeMillis));
    fields.put("id", requestId);
    fields.put("tr", traceId);
    fields.put("rt", route);
    fields.put("m", method);
    fields.put("p", path);
    fields.put("s", Integer.toString(status));
    fields.put("b", Long.toString(bytes));
    fields.put("d", Long.toString(durationMicros));
    fields.put("u", upstream);
    fields.put("ud", Long.toString(upstreamMicros));
    fields.put("c", client);
    fields.put("l", encodeLimits(limits));
    return fields;
  }

  /**
   * Reads a stream entry. Unknown fields are ignored and missing ones take their "unknown" value,
   * so gateways and the analytics service can be upgraded in either order.
   *
   * @throws IllegalArgumentException when a number field is not a number
   */
  public static AccessRecord fromStreamFields(Map<String, String> fields) {
    return new AccessRecord(
        number(fields, "t", 0),
        fields.getOrDefault("id", ""),
        fields.getOrDefault("tr", ""),
        fields.getOrDefault("rt", ""),
        fields.getOrDefault("m", ""),
        fields.getOrDefault("p", ""),
        (int) number(fields, "s", 0),
        number(fields, "b", -1),
        number(fields, "d", 0),
        fields.getOrDefault("u", ""),
        number(fields, "ud", -1),
        fields.getOrDefault("c", ""),
        decodeLimits(fields.getOrDefault("l", "")));
  }

  /**
   * {@code ns/policy/limit=decision:remaining}, space-separated: policy and limit names are
   * Kubernetes names, which contain none of {@code = : space}.
   */
  static String encodeLimits(List<LimitDecision> limits) {
    if (limits.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(48 * limits.size());
    for (LimitDecision d : limits) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(d.policy())
          .append('/')
          .append(d.limit())
          .append('=')
          .append(d.decision())
          .append(':')
          .append(d.remaining());
    }
    return out.toString();
  }

  static List<LimitDecision> decodeLimits(String encoded) {
    if (encoded.isEmpty()) {
      return List.of();
    }
    List<LimitDecision> limits = new ArrayList<>(2);
    for (String item : encoded.split(" ")) {
      int eq = item.indexOf('=');
      int colon = item.lastIndexOf(':');
      int slash = item.lastIndexOf('/', eq);
      if (eq < 0 || colon < eq || slash < 0) {
        throw new IllegalArgumentException("limit decision '" + item + "' is malformed");
      }
      limits.add(
          new LimitDecision(
              item.substring(0, slash),
              item.substring(slash + 1, eq),
              item.substring(eq + 1, colon),
              parse("l", item.substring(colon + 1))));
    }
    return limits;
  }

  private static long number(Map<String, String> fields, String name, long missing) {
    String value = fields.get(name);
    return value == null || value.isEmpty() ? missing : parse(name, value);
  }

  private static long parse(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("field " + name + ": '" + value + "' is not a number", e);
    }
  }
}
