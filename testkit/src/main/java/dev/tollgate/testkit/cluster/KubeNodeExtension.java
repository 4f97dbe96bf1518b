package dev.tollgate.testkit.cluster;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one cluster ({@link KubeNode}) for a test class (register as a static field with
 * {@code @RegisterExtension}) and removes it afterwards, whether the tests passed or not.
 */
public final class KubeNodeExtension implements BeforeAllCallback, AfterAllCallback {
  private final List<Path> images;
  private KubeNode node;

  /**
   * @param images image tarballs to import besides the cluster's own add-ons
   */
  public KubeNodeExtension(List<Path> images) {
    this.images = List.copyOf(images);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    node = KubeNode.start(images);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (node != null) {
      node.close();
    }
  }

  public KubeNode node() {
    return node;
  }
}
