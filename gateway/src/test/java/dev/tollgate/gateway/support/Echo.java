package dev.tollgate.gateway.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an echoing {@link TestUpstream} saw, parsed from its response body.
 *
 * @param upstream which upstream answered
 * @param method request method
 * @param target raw path and query the upstream received
 * @param bodyBytes request body length
 * @param headers lower-case header names to values
 */
public record Echo(
    String upstream,
    String method,
    String target,
    long bodyBytes,
    Map<String, List<String>> headers) {

  public static Echo parse(String body) {
    String upstream = null;
    String method = null;
    String target = null;
    long bytes = 0;
    Map<String, List<String>> headers = new HashMap<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("upstream: ")) {
        upstream = line.substring(10);
      } else if (line.startsWith("request: ")) {
        String[] parts = line.substring(9).split(" ", 2);
        method = parts[0];
        target = parts[1];
      } else if (line.startsWith("body-bytes: ")) {
        bytes = Long.parseLong(line.substring(12));
      } else if (line.startsWith("header ")) {
        int colon = line.indexOf(": ");
        headers
            .computeIfAbsent(line.substring(7, colon), k -> new ArrayList<>())
            .add(line.substring(colon + 2));
      }
    }
    return new Echo(upstream, method, target, bytes, headers);
  }

  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null ? null : String.join(", ", values);
  }
}
