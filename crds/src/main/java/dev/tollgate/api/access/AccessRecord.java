package dev.tollgate.api.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one request leaves behind: the access log line (JSON, by the gateway) and the entry in the
 * access stream (compact, read by the analytics service) carry the same facts.
 *
 * <p>A stream entry has one field, {@value #STREAM_FIELD}, whose value is the record's fields
 * joined by tabs in a fixed order (version 1 of the format): one value per entry keeps {@code XADD}
 * at two arguments and an entry near 200 bytes of Redis memory, and no field can contain a tab
 * (paths are normalized and percent-encoded, names are Kubernetes names, ids are tokens). Fields
 * added later go at the end, and readers take missing trailing fields as unknown, so gateways and
 * the analytics service can be upgraded in either order.
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

  /** The name of the one field of a stream entry. */
  public static final String STREAM_FIELD = "a";

  private static final int FIELDS = 13;

  /** The stream entry's value: the fields in order, tab-separated. */
  public String toStreamValue() {
    StringBuilder out = new StringBuilder(160);
    out.append(timeMillis)
        .append('\t')
        .append(requestId)
        .append('\t')
        .append(traceId)
        .append('\t')
        .append(route)
        .append('\t')
        .append(method)
        .append('\t')
        .append(path)
        .append('\t')
        .append(status)
        .append('\t')
        .append(bytes)
        .append('\t')
        .append(durationMicros)
        .append('\t')
        .append(upstream)
        .append('\t')
        .append(upstreamMicros)
        .append('\t')
        .append(client)
        .append('\t');
    encodeLimits(limits, out);
    return out.toString();
  }

  /**
   * Reads a stream entry's fields (the one {@value #STREAM_FIELD}; others are ignored).
   *
   * @throws IllegalArgumentException when the entry has no record or a number is not a number
   */
  public static AccessRecord fromStreamFields(Map<String, String> fields) {
    String value = fields.get(STREAM_FIELD);
    if (value == null) {
      throw new IllegalArgumentException("entry has no field '" + STREAM_FIELD + "'");
    }
    return fromStreamValue(value);
  }

  /**
   * Reads a stream entry's value; missing trailing fields take their "unknown" value, fields beyond
   * the known ones are ignored.
   *
   * @throws IllegalArgumentException when a number field is not a number
   */
  public static AccessRecord fromStreamValue(String value) {
    String[] f = Arrays.copyOf(value.split("\t", FIELDS + 1), FIELDS + 1);
    return new AccessRecord(
        number(f[0], "t", 0),
        text(f[1]),
        text(f[2]),
        text(f[3]),
        text(f[4]),
        text(f[5]),
        (int) number(f[6], "s", 0),
        number(f[7], "b", -1),
        number(f[8], "d", 0),
        text(f[9]),
        number(f[10], "ud", -1),
        text(f[11]),
        decodeLimits(text(f[12])));
  }

  private static String text(String field) {
    return field == null ? "" : field;
  }

  /**
   * {@code ns/policy/limit=decision:remaining}, space-separated: policy and limit names are
   * Kubernetes names, which contain none of {@code = : space}.
   */
  static void encodeLimits(List<LimitDecision> limits, StringBuilder out) {
    boolean first = true;
    for (LimitDecision d : limits) {
      if (!first) {
        out.append(' ');
      }
      first = false;
      out.append(d.policy())
          .append('/')
          .append(d.limit())
          .append('=')
          .append(d.decision())
          .append(':')
          .append(d.remaining());
    }
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

  private static long number(String value, String name, long missing) {
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
