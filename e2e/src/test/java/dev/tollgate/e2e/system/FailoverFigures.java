package dev.tollgate.e2e.system;

import dev.tollgate.e2e.system.FailoverLoad.Route;
import dev.tollgate.e2e.system.FailoverLoad.Sample;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a failover did to the requests of a {@link FailoverLoad}, per route and overall. Times are
 * on the load's clock (nanoseconds since it started).
 *
 * @param scenario what failed, e.g. "sentinel: master SIGKILL"
 * @param faultAt when the fault was injected
 * @param promotedAt when Redis itself had a new master (sentinels or cluster agree)
 * @param routes per route: answers by kind and the longest stretch of decisions without Redis
 * @param redisAgainAfter from the fault until the first Redis decision after the outage, the
 *     longest run of consecutive failed decisions on the open and closed routes (zero when none)
 * @param strayFailures failed decisions outside the outage (over budget on a busy machine)
 * @param exact the exactly limited client's allowance; {@code admitted} its 200s on /closed
 * @param allowance {@code exact} plus what the bucket refilled during the run (24 h period)
 * @param configServedAfter from a change applied after the failover until both gateways served it
 * @param versionsBefore highest version served before the fault; {@code versionsAfter} at the end
 * @param rollbacks gateways whose served version ever went down (must be empty)
 */
record FailoverFigures(
    String scenario,
    long faultAt,
    long promotedAt,
    Map<Route, RouteFigures> routes,
    Duration redisAgainAfter,
    long strayFailures,
    long exact,
    long admitted,
    long allowance,
    Duration configServedAfter,
    long versionsBefore,
    long versionsAfter,
    List<String> rollbacks,
    long requests,
    long skipped) {

  /**
   * One route's answers.
   *
   * @param failed decisions made without Redis: fail-open admissions (200 without a RateLimit
   *     field) on /open, 503s on /closed; on /local the in-process decisions cannot be told apart
   *     from outside, so 0
   * @param longestStretch longest run of consecutive failed decisions, first start to last end
   */
  record RouteFigures(
      long requests,
      long ok,
      long limited,
      long unavailable,
      long otherServerErrors,
      long transportErrors,
      long failed,
      Duration longestStretch) {}

  static FailoverFigures of(
      String scenario,
      long faultAt,
      long promotedAt,
      List<Sample> samples,
      long skipped,
      long exact,
      Duration configServedAfter,
      ServedVersions versions) {
    List<Sample> ordered =
        samples.stream().sorted(Comparator.comparingLong(Sample::startNanos)).toList();
    Map<Route, RouteFigures> routes = new EnumMap<>(Route.class);
    for (Route route : Route.values()) {
      routes.put(route, route(ordered.stream().filter(s -> s.route() == route).toList()));
    }
    // The outage: the longest run of consecutive failed decisions on /open and /closed together.
    // Failures outside it are strays (a decision over its budget on a busy machine), counted apart
    // so that one late miss does not stretch the outage.
    List<Sample> decided = ordered.stream().filter(s -> s.route() != Route.LOCAL).toList();
    int bestFrom = -1;
    int bestTo = -1;
    for (int i = 0, from = -1; i < decided.size(); i++) {
      if (failed(decided.get(i))) {
        from = from < 0 ? i : from;
        if (bestFrom < 0 || i - from > bestTo - bestFrom) {
          bestFrom = from;
          bestTo = i;
        }
      } else {
        from = -1;
      }
    }
    long outageEnd = bestTo < 0 ? -1 : decided.get(bestTo).startNanos();
    Duration redisAgain =
        bestTo < 0
            ? Duration.ZERO
            : decided.stream()
                .filter(s -> s.startNanos() > outageEnd && s.redisDecided())
                .findFirst()
                .map(s -> Duration.ofNanos(s.startNanos() - faultAt))
                .orElse(Duration.ofDays(1));
    long strays =
        decided.stream().filter(FailoverFigures::failed).count()
            - (bestTo < 0 ? 0 : bestTo - bestFrom + 1);
    long runNanos = ordered.isEmpty() ? 0 : ordered.getLast().endNanos();
    // token bucket: `exact` per 24 h refills exact * run / 24 h during the run
    long refill = (long) Math.ceil(exact * (runNanos / (double) Duration.ofHours(24).toNanos()));
    long admitted =
        ordered.stream().filter(s -> s.route() == Route.CLOSED && s.status() == 200).count();
    return new FailoverFigures(
        scenario,
        faultAt,
        promotedAt,
        routes,
        redisAgain,
        strays,
        exact,
        admitted,
        exact + refill,
        configServedAfter,
        highest(versions, Long.MIN_VALUE, faultAt),
        highest(versions, faultAt, Long.MAX_VALUE),
        versions.rollbacks(),
        ordered.size(),
        skipped);
  }

  /** Admitted beyond the allowance (negative: under-admitted). */
  long overAdmission() {
    return admitted - allowance;
  }

  Duration promotedAfter() {
    return Duration.ofNanos(promotedAt - faultAt);
  }

  /** A table row for docs/benchmarks.md; the header is {@link #TABLE_HEADER}. */
  String tableRow() {
    RouteFigures open = routes.get(Route.OPEN);
    RouteFigures closed = routes.get(Route.CLOSED);
    RouteFigures local = routes.get(Route.LOCAL);
    return "| %s | %d | %.1f | %d fail-open (%.1f s) | %d × 503 (%.1f s) | %d × 5xx | %.1f s (%d stray) | %+d of %d | v%d → v%d, %s | %.2f s |"
        .formatted(
            scenario,
            requests,
            seconds(promotedAfter()),
            open.failed(),
            seconds(open.longestStretch()),
            closed.failed(),
            seconds(closed.longestStretch()),
            local.unavailable() + local.otherServerErrors(),
            seconds(redisAgainAfter),
            strayFailures,
            overAdmission(),
            exact,
            versionsBefore,
            versionsAfter,
            rollbacks.isEmpty() ? "no rollback" : "ROLLBACK " + rollbacks,
            seconds(configServedAfter));
  }

  static final String TABLE_HEADER =
      "| scenario | requests | promoted after (s) | /open (longest) | /closed (longest) | /local"
          + " errors | Redis decides again after (s) | over-admission | config versions | change"
          + " served after |\n|---|---|---|---|---|---|---|---|---|---|";

  /** Everything, for a test's output. */
  String report() {
    StringBuilder out = new StringBuilder(scenario).append('\n');
    routes.forEach(
        (route, r) ->
            out.append(
                "  %-7s requests %d: 200 %d, 429 %d, 503 %d, other 5xx %d, no answer %d; decided without Redis %d, longest stretch %d ms%n"
                    .formatted(
                        route.path(),
                        r.requests(),
                        r.ok(),
                        r.limited(),
                        r.unavailable(),
                        r.otherServerErrors(),
                        r.transportErrors(),
                        r.failed(),
                        r.longestStretch().toMillis())));
    out.append(
        "  promoted %d ms after the fault; Redis decides again %d ms after the fault; %d stray failed decisions outside that outage%n"
            .formatted(promotedAfter().toMillis(), redisAgainAfter.toMillis(), strayFailures));
    out.append(
        "  exact client: admitted %d, allowance %d (limit %d + refill): over-admission %+d%n"
            .formatted(admitted, allowance, exact, overAdmission()));
    out.append(
        "  config: v%d before the fault, v%d at the end, rollbacks %s; a change after the failover served by both in %d ms%n"
            .formatted(versionsBefore, versionsAfter, rollbacks, configServedAfter.toMillis()));
    out.append("  requests skipped (more than 512 in flight): %d%n".formatted(skipped));
    return out.toString();
  }

  private static RouteFigures route(List<Sample> samples) {
    long longest = 0;
    long runStart = -1;
    long failed = 0;
    for (Sample sample : samples) {
      if (failed(sample)) {
        failed++;
        if (runStart < 0) {
          runStart = sample.startNanos();
        }
        longest = Math.max(longest, sample.endNanos() - runStart);
      } else {
        runStart = -1;
      }
    }
    return new RouteFigures(
        samples.size(),
        count(samples, 200),
        count(samples, 429),
        count(samples, 503),
        samples.stream().filter(s -> s.status() >= 500 && s.status() != 503).count(),
        count(samples, -1),
        failed,
        Duration.ofNanos(longest));
  }

  /** A decision made without Redis, as far as the answer shows it. */
  static boolean failed(Sample sample) {
    return switch (sample.route()) {
      case OPEN -> sample.status() == 200 && !sample.redisDecided();
      case CLOSED -> sample.status() == 503;
      case LOCAL -> false;
    };
  }

  private static long count(List<Sample> samples, int status) {
    return samples.stream().filter(s -> s.status() == status).count();
  }

  private static long highest(ServedVersions versions, long from, long to) {
    return versions.readings().stream()
        .filter(r -> r.atNanos() >= from && r.atNanos() < to)
        .mapToLong(ServedVersions.Reading::version)
        .max()
        .orElse(-1);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
