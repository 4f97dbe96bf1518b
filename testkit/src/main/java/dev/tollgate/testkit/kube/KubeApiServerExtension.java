package dev.tollgate.testkit.kube;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real kube-apiserver + etcd for a test class (register as a static field with
 * {@code @RegisterExtension}) and stops both afterwards.
 */
public final class KubeApiServerExtension implements BeforeAllCallback, AfterAllCallback {
  private KubeApiServer api;

  @Override
  public void beforeAll(ExtensionContext context) {
    api = KubeApiServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (api != null) {
      api.close();
    }
  }

  public KubeApiServer api() {
    return api;
  }
}
