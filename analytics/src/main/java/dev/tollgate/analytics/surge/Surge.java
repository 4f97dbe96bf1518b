package dev.tollgate.analytics.surge;

import java.time.Instant;

/**
 * One surge as detected and logged; reports list the recent ones. Here rather than in the report
 * package, which reads the surge log: the detector and the log must not depend on the report.
 *
 * @param route the route that surged
 * @param startedAt when the surge was detected
 * @param perMinute its rate over the recent window
 * @param baselinePerMinute its rate over the baseline before it
 */
public record Surge(String route, Instant startedAt, double perMinute, double baselinePerMinute) {}
