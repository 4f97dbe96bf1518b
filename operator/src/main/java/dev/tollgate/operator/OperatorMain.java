package dev.tollgate.operator;

import dev.tollgate.logging.LogBackend;
import dev.tollgate.logging.LogSettings;
import dev.tollgate.operator.config.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Entry point of {@code java -jar tollgate-operator.jar}: settings from the environment
 * (docs/operator.md), Kubernetes access from the in-cluster service account or the kubeconfig.
 */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) {
    OperatorSettings settings;
    try {
      LogBackend.apply(LogSettings.from(System::getenv));
      settings = OperatorSettings.fromEnvironment();
    } catch (IllegalArgumentException e) {
      // as the gateway and the analytics service: a setting's mistake exits 2, naming it
      System.err.println("tollgate-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    TollgateOperator operator = TollgateOperator.start(settings, client, true);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                },
                "tollgate-operator-shutdown"));
  }
}
