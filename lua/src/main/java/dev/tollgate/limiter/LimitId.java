package dev.tollgate.limiter;

import java.util.regex.Pattern;

/**
 * Names one limit: {@code <policyNamespace>/<policy>/<limit>}. The parts are Kubernetes names
 * (lower-case alphanumerics, '-' and '.'), so they can never contain the ':', '/', '{' or '}' that
 * structure a Redis key.
 */
public record LimitId(String policyNamespace, String policy, String limit) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  public LimitId {
    requireName("policyNamespace", policyNamespace);
    requireName("policy", policy);
    requireName("limit", limit);
  }

  static void requireName(String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + ": '"
              + value
              + "' must be 1-253 lower-case alphanumerics, '-' or '.', starting and ending with"
              + " an alphanumeric");
    }
  }

  @Override
  public String toString() {
    return policyNamespace + "/" + policy + "/" + limit;
  }
}
