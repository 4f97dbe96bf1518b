package dev.tollgate.gateway;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Puts {@code TOLLGATE_REDIS_USERNAME} / {@code TOLLGATE_REDIS_PASSWORD} into every node of a
 * {@code TOLLGATE_REDIS_URL}, replacing credentials the URL may carry, so that the URL can come
 * from a ConfigMap and the password from a Secret (the chart does this), as the operator reads
 * them. The values are percent-encoded, so a password may hold any character.
 */
final class RedisCredentials {
  private RedisCredentials() {}

  static String apply(String url, Optional<String> username, Optional<String> password) {
    if (password.isEmpty()) {
      return url;
    }
    String userInfo =
        username.map(user -> encode(user) + ":").orElse(":") + encode(password.get()) + "@";
    return Arrays.stream(url.split(","))
        .map(String::strip)
        .map(node -> node.isEmpty() ? node : withUserInfo(node, userInfo))
        .collect(Collectors.joining(","));
  }

  private static String withUserInfo(String node, String userInfo) {
    int schemeEnd = node.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException(
          "TOLLGATE_REDIS_URL: every node needs a scheme (redis://, rediss://, redis-sentinel://)");
    }
    int authorityStart = schemeEnd + 3;
    int hostStart = node.lastIndexOf('@', authorityEnd(node, authorityStart)) + 1;
    return node.substring(0, authorityStart)
        + userInfo
        + node.substring(Math.max(hostStart, authorityStart));
  }

  private static int authorityEnd(String node, int from) {
    for (int i = from; i < node.length(); i++) {
      char c = node.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return i;
      }
    }
    return node.length();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
