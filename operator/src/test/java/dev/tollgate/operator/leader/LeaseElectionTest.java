package dev.tollgate.operator.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The epoch a replica leads under when the Lease cannot be read in the start-leading callback. */
class LeaseElectionTest {
  @Test
  void aLeaseThatCannotBeReadGivesTheClocksEpochInsteadOfAFailedCallback() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (KubernetesClient unreachable =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + closedPort)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      long before = System.currentTimeMillis();

      long epoch = LeaseElection.acquiredEpoch(unreachable, "tollgate", "tollgate-operator");

      assertThat(epoch).isBetween(before, System.currentTimeMillis());
    }
  }
}
