package dev.tollgate.gateway.pipeline;

/**
 * Told about each request the handler answered, once its response was sent (the access log and
 * stream). Runs on the request's thread, so an implementation only hands the facts on.
 */
public interface RequestLog {
  /** Records nothing; the handler then registers nothing per request. */
  RequestLog NONE =
      new RequestLog() {
        @Override
        public boolean enabled() {
          return false;
        }

        @Override
        public void record(GatewayExchange exchange, int status, long bytes, long durationNanos) {}
      };

  boolean enabled();

  /**
   * @param bytes response body bytes sent, -1 when unknown
   * @param durationNanos from the request's arrival until its response was sent
   */
  void record(GatewayExchange exchange, int status, long bytes, long durationNanos);
}
