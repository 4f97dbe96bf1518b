package dev.tollgate.gateway.edge;

/**
 * Where a request body's read deadline is kept: the HTTP/1 connection ({@link ClientConnection}),
 * which carries one request at a time, or the HTTP/2 stream ({@link ClientStream}).
 */
interface BodyWatch {
  /** About to block reading the body; the read must return before {@code deadline}. */
  boolean awaitingBody(long deadline);

  /** A body read returned; false if the deadline passed (or the client left) meanwhile. */
  boolean bodyArrived();

  /** What the read that lost the race with the deadline throws instead of returning. */
  RuntimeException bodyCutOff();
}
