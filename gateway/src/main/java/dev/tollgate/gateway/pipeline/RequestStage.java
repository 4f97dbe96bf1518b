package dev.tollgate.gateway.pipeline;

/**
 * One step between route matching and proxying (authentication, client key resolution, limit
 * decision, ...). A stage reads and adds facts on the exchange; to stop the request it throws a
 * {@link dev.tollgate.gateway.problem.GatewayProblemException}, which the one error handler turns
 * into a problem+json response (including the exchange's response headers). Stages run on the
 * request's virtual thread and may block.
 */
@FunctionalInterface
public interface RequestStage {
  void apply(GatewayExchange exchange);

  /** The name of this stage's span when tracing exports; null = the stage gets no span. */
  default String spanName() {
    return null;
  }
}
