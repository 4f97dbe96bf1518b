package dev.tollgate.gateway.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document. Rendering is done here by hand (a handful of string and number
 * members) so that error paths never depend on a configured media support.
 */
public record Problem(
    String type, String title, int status, String detail, Map<String, Object> extensions) {

  /**
   * Problem types are URNs in the project's namespace, e.g. {@code urn:tollgate:problem:no-route}.
   */
  public static final String TYPE_PREFIX = "urn:tollgate:problem:";

  /** The media type of a problem document (RFC 9457, section 6.1). */
  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(GatewayProblemException e) {
    return new Problem(
        TYPE_PREFIX + e.type(), e.title(), e.status().code(), e.getMessage(), e.extensions());
  }

  public String toJson() {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("type", type);
    members.put("title", title);
    members.put("status", status);
    members.put("detail", detail);
    members.putAll(extensions);
    StringBuilder out = new StringBuilder(128);
    writeValue(out, members);
    return out.toString();
  }

  private static void writeValue(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case Number n -> out.append(n);
      case Boolean b -> out.append(b);
      case Map<?, ?> map -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(out, String.valueOf(e.getKey()));
          out.append(':');
          writeValue(out, e.getValue());
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          writeValue(out, list.get(i));
        }
        out.append(']');
      }
      default -> writeString(out, value.toString());
    }
  }

  /** Appends {@code s} as a JSON string, quoted and escaped (also used by the access log). */
  public static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
