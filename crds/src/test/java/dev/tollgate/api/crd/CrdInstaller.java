package dev.tollgate.api.crd;

import dev.tollgate.testkit.kube.KubeApiServer;
import java.nio.file.Path;

/**
 * Installs the checked-in CRDs (what users apply; {@link GeneratedCrdsUpToDateTest} keeps them
 * equal to the model) with the real kubectl and waits until the API server serves both kinds.
 */
final class CrdInstaller {
  static final Path GENERATED = Path.of("generated");

  private CrdInstaller() {}

  static void install(KubeApiServer api) {
    api.kubectl(null, "apply", "-f", GENERATED.toString()).orThrow();
    api.kubectl(
            null,
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/routes.tollgate.dev",
            "crd/ratelimitpolicies.tollgate.dev")
        .orThrow();
  }
}
