package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.stream.Stream;

/**
 * The settings of the "restricted" Pod Security Standard that the chart promises, checked on a
 * rendered pod template. ({@code ChartOnApiServerIT} also has a real API server enforce the
 * standard.)
 */
final class RestrictedPodSecurity {
  private RestrictedPodSecurity() {}

  static void assertRestricted(PodTemplateSpec template) {
    PodSpec pod = template.getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getVolumes()).allSatisfy(volume -> assertThat(volume.getHostPath()).isNull());

    Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream())
        .forEach(container -> assertRestricted(container, pod));
  }

  private static void assertRestricted(Container container, PodSpec pod) {
    var context = container.getSecurityContext();
    assertThat(context.getAllowPrivilegeEscalation()).isFalse();
    assertThat(context.getReadOnlyRootFilesystem()).isTrue();
    assertThat(context.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(context.getCapabilities().getAdd()).isEmpty();
    // A read-only root needs somewhere writable for the JVM's and Redis' temp files.
    assertThat(container.getVolumeMounts())
        .anySatisfy(
            mount -> {
              assertThat(mount.getMountPath()).isEqualTo("/tmp");
              assertThat(volume(pod, mount.getName()).getEmptyDir()).isNotNull();
            });
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
