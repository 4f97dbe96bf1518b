package dev.tollgate.operator.leader;

import dev.tollgate.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
 * <p>JOSDK's own exit-on-lost-lease stays off: it calls {@code System.exit} from the stop callback,
 * which also runs when the operator is stopped by a shutdown hook, and {@code System.exit} inside a
 * shutdown hook blocks forever (the pod would hang until SIGKILL). {@link
 * dev.tollgate.operator.TollgateOperator} makes that decision instead, knowing whether it is
 * closing.
 */
public final class LeaseElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);

  private LeaseElection() {}

  public static LeaderElectionConfiguration configuration(
      OperatorSettings settings, KubernetesClient client, Leadership leadership) {
    String namespace = namespace(settings, client);
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
        .withExitOnStopLeading(false)
        .build();
  }

  /**
   * Hands the Lease over when this replica stops while holding it: the holder is cleared and the
   * duration cut to 1 s, as client-go's ReleaseOnCancel does (JOSDK 5.2 builds its elector with
   * that off). The standby, which retries every few seconds, then leads at once, instead of racing
   * the replacement pod once the lease expires: with a 15 s lease the replacement, started by then,
   * often won, and the standby stood by for nothing. Call it after this replica's last write. A
   * Lease that changed meanwhile is left alone (the update carries its resourceVersion).
   */
  public static void release(OperatorSettings settings, KubernetesClient client) {
    String namespace = namespace(settings, client);
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(settings.leaseName()).get();
      if (lease == null || !settings.identity().equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.now());
      client.leases().inNamespace(namespace).resource(lease).update();
      LOG.info("{} released lease {}/{}", settings.identity(), namespace, settings.leaseName());
    } catch (RuntimeException e) {
      LOG.warn("could not release lease {}/{}: {}", namespace, settings.leaseName(), e.toString());
    }
  }

  private static String namespace(OperatorSettings settings, KubernetesClient client) {
    return settings
        .leaseNamespace()
        .or(() -> Optional.ofNullable(client.getNamespace()))
        .orElse("default");
  }

  /**
   * The epoch this replica leads under: when it acquired the Lease, as the Lease records it. Read
   * in the start-leading callback, which Fabric8 calls once, after its own write of the Lease: a
   * read that fails there must not throw, since the elector would take that for a failed
   * acquisition, keep renewing the Lease it now holds and never call the callback again (a leader
   * that never leads, and a standby that can never take over). The clock then stands in, as for a
   * Lease gone; should it be behind the epoch already fenced in Redis, the first write is fenced
   * and the replica exits, and its restart competes again.
   */
  static long acquiredEpoch(KubernetesClient client, String namespace, String name) {
    Lease lease;
    try {
      lease = client.leases().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot read lease {}/{} for its acquire time, leading with the clock's: {}",
          namespace,
          name,
          e.toString());
      lease = null;
    }
    return Optional.ofNullable(lease)
        .map(Lease::getSpec)
        .map(spec -> spec.getAcquireTime())
        .map(ZonedDateTime::toInstant)
        .map(java.time.Instant::toEpochMilli)
        .orElse(System.currentTimeMillis());
  }
}
