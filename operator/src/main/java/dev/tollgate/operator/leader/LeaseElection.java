package dev.tollgate.operator.leader;

import dev.tollgate.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JOSDK leader election on a Lease, wired to {@link Leadership}. JOSDK starts event processing
 * (reconcilers) only on the leader; the snapshot writer checks {@link Leadership} itself because it
 * is driven by its own informers.
 *
 * <p>{@code exitOnStopLeading}: a production replica that loses its lease exits so Kubernetes
 * restarts it clean (JOSDK's default); in-process tests turn it off to keep the JVM alive.
 */
public final class LeaseElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);

  private LeaseElection() {}

  public static LeaderElectionConfiguration configuration(
      OperatorSettings settings,
      KubernetesClient client,
      Leadership leadership,
      boolean exitOnStopLeading) {
    String namespace =
        settings
            .leaseNamespace()
            .or(() -> Optional.ofNullable(client.getNamespace()))
            .orElse("default");
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              long epoch = acquiredEpoch(client, namespace, settings.leaseName());
              LOG.info(
                  "{} leads (lease {}/{}, epoch {})",
                  settings.identity(),
                  namespace,
                  settings.leaseName(),
                  epoch);
              leadership.started(epoch);
            },
            () -> {
              LOG.warn("{} stopped leading", settings.identity());
              leadership.stopped();
            },
            newLeader -> LOG.info("leader is now {}", newLeader));
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
        .withLeaseNamespace(namespace)
        .withIdentity(settings.identity())
        .withLeaseDuration(settings.leaseDuration())
        .withRenewDeadline(settings.renewDeadline())
        .withRetryPeriod(settings.retryPeriod())
        .withLeaderCallbacks(callbacks)
        .withExitOnStopLeading(exitOnStopLeading)
        .build();
  }

  private static long acquiredEpoch(KubernetesClient client, String namespace, String name) {
    Lease lease = client.leases().inNamespace(namespace).withName(name).get();
    return Optional.ofNullable(lease)
        .map(Lease::getSpec)
        .map(spec -> spec.getAcquireTime())
        .map(ZonedDateTime::toInstant)
        .map(java.time.Instant::toEpochMilli)
        .orElse(System.currentTimeMillis());
  }
}
