package dev.tollgate.rules;

import dev.tollgate.api.snapshot.SnapshotRoute;

/**
 * One rule over a Route as it would be served (spec plus resolved endpoints). Called only for a
 * route with a spec; adds what is wrong to {@code problems}, with field paths from the resource's
 * root ({@code spec.match.path}).
 */
@FunctionalInterface
public interface RouteRule {
  void check(SnapshotRoute route, Problems problems);
}
