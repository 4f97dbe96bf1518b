package dev.tollgate.analytics.store;

import dev.tollgate.api.access.AccessStreamKeys;

/**
 * Every aggregate key of the analytics service, built from the access stream's prefix so that all
 * of them share the stream's hash slot. Per minute {@code m} (minutes since the epoch, UTC):
 *
 * <pre>
 * &lt;prefix&gt;m:&lt;m&gt;                 hash: n (requests), r:&lt;route&gt;, e:&lt;route&gt; (5xx), q:&lt;route&gt; (429),
 *                             s:&lt;status&gt;, l:&lt;ns/policy/limit&gt; (requests that limit refused)
 * &lt;prefix&gt;m:&lt;m&gt;:p:&lt;route&gt;       hash: c:&lt;path&gt;, e:&lt;path&gt; (at most 2 x TOLLGATE_ANALYTICS_MAX_PATHS fields)
 * &lt;prefix&gt;m:&lt;m&gt;:lat:&lt;route&gt;     hash: latency bucket (lowest microseconds) → requests
 * &lt;prefix&gt;m:&lt;m&gt;:lc              sorted set: limited client → refused requests (top-K)
 * &lt;prefix&gt;surges                 list: recent surge events (JSON), newest first, capped
 * &lt;prefix&gt;surge:active           hash: route → start of its ongoing surge (epoch ms)
 * </pre>
 *
 * Minute keys expire {@code TOLLGATE_ANALYTICS_RETENTION} after their minute ended.
 */
public final class BucketKeys {
  /** The route field of requests that matched no route. */
  public static final String NO_ROUTE = "-";

  private final AccessStreamKeys stream;
  private final String prefix;

  public BucketKeys(AccessStreamKeys stream) {
    this.stream = stream;
    this.prefix = stream.prefix();
  }

  public String stream() {
    return stream.stream();
  }

  public String minute(long minute) {
    return prefix + "m:" + minute;
  }

  public String paths(long minute, String route) {
    return minute(minute) + ":p:" + route;
  }

  public String latency(long minute, String route) {
    return minute(minute) + ":lat:" + route;
  }

  public String limitedClients(long minute) {
    return minute(minute) + ":lc";
  }

  public String surges() {
    return prefix + "surges";
  }

  public String activeSurges() {
    return prefix + "surge:active";
  }
}
