package dev.tollgate.e2e.cluster;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class only where Testcontainers finds a Docker engine, and says so on the console
 * when it does not, so a skipped K3s test is never mistaken for a passed one.
 */
final class DockerRequired implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return ConditionEvaluationResult.enabled("a Docker engine is available");
    }
    String reason =
        context.getDisplayName()
            + " SKIPPED: no Docker engine found (Testcontainers looked for DOCKER_HOST and"
            + " /var/run/docker.sock), so K3s cannot start here. The same scenario runs on the"
            + " single-node cluster built from source: InClusterIT.";
    System.out.println(reason);
    return ConditionEvaluationResult.disabled(reason);
  }
}
