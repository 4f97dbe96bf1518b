package dev.tollgate.testkit.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The Gateway API's standard-channel CRDs that {@code tools/provision.sh} takes from the release's
 * Go module ({@code ${TOLLGATE_CACHE_DIR:-~/.cache/tollgate}/build/gateway-api-<version>/crds},
 * tools/cache-layout.sh names the version).
 */
public final class GatewayApiCrds {
  private GatewayApiCrds() {}

  /** The directory of CRD YAMLs, one per kind. */
  public static Path directory() {
    String cache = System.getenv("TOLLGATE_CACHE_DIR");
    Path build =
        (cache != null
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "tollgate"))
            .resolve("build");
    try (Stream<Path> dirs = Files.list(build)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("gateway-api-"))
          .map(d -> d.resolve("crds"))
          .filter(Files::isDirectory)
          .max(Comparator.naturalOrder())
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no Gateway API CRDs in " + build + ": run tools/provision.sh"));
    } catch (IOException e) {
      throw new UncheckedIOException("no Gateway API CRDs: run tools/provision.sh", e);
    }
  }

  /** Applies them with the API server's kubectl and waits until they are served. */
  public static void install(KubeApiServer api) {
    api.kubectl(null, "apply", "--server-side", "-f", directory().toString()).orThrow();
    api.kubectl(
            null,
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/gatewayclasses.gateway.networking.k8s.io",
            "crd/gateways.gateway.networking.k8s.io",
            "crd/httproutes.gateway.networking.k8s.io",
            "crd/referencegrants.gateway.networking.k8s.io")
        .orThrow();
  }
}
