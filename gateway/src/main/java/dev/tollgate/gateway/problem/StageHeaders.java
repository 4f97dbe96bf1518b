package dev.tollgate.gateway.problem;

import io.helidon.http.Header;
import java.util.List;

/**
 * Response headers the request's stages set (the request id, RateLimit fields), which every answer
 * carries, problems included. The request's exchange is handed to the problem on its way out
 * ({@link GatewayProblemException#withStageHeaders}), so this package needs nothing from the
 * pipeline.
 */
public interface StageHeaders {
  List<Header> responseHeaders();
}
