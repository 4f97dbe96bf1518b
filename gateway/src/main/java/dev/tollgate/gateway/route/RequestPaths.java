package dev.tollgate.gateway.route;

import dev.tollgate.gateway.problem.GatewayProblems.BadPath;
import dev.tollgate.rules.PathNormalizer;

/** The request side of {@link PathNormalizer}: a refused path becomes a 400 problem. */
public final class RequestPaths {
  private RequestPaths() {}

  /**
   * @throws BadPath (400 problem) when the raw path is ambiguous or malformed
   */
  public static String normalize(String rawPath) {
    try {
      return PathNormalizer.normalize(rawPath);
    } catch (PathNormalizer.BadPath e) {
      throw new BadPath(e.getMessage());
    }
  }
}
