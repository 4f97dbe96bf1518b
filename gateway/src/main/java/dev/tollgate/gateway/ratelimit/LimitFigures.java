package dev.tollgate.gateway.ratelimit;

import java.time.Duration;

/**
 * What the response headers say about one limit for one request.
 *
 * @param name the quota policy name in the IETF fields (the limit's name, or {@code policy/limit}
 *     when two policies on the route use the same limit name)
 * @param quota requests allowed per window ({@code rate.requests} of the limit or its tier)
 * @param window the window ({@code rate.period})
 * @param remaining requests left after this one
 * @param reset time until the limit is back to its full capacity
 * @param exceeded whether this limit refused the request
 * @param retryAfter time until this limit admits the request again; zero when not exceeded
 */
public record LimitFigures(
    String name,
    long quota,
    Duration window,
    long remaining,
    Duration reset,
    boolean exceeded,
    Duration retryAfter) {

  /**
   * The {@code t} reported for this limit: when exceeded, the time until it admits the request
   * again (what a client should wait); otherwise the time until it is full again.
   */
  Duration untilReset() {
    return exceeded ? retryAfter : reset;
  }
}
