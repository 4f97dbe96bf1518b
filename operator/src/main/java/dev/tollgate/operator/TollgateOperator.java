package dev.tollgate.operator;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.RateLimitPolicyStatus;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.api.v1alpha1.RouteStatus;
import dev.tollgate.operator.cluster.InformerClusterView;
import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.operator.feedback.GatewayFeedback;
import dev.tollgate.operator.gatewayapi.CertificateBundleWriter;
import dev.tollgate.operator.gatewayapi.GatewayApiStatusWriter;
import dev.tollgate.operator.gatewayapi.HttpRouteResolver;
import dev.tollgate.operator.gatewayapi.Listeners;
import dev.tollgate.operator.http.OperatorHttpServer;
import dev.tollgate.operator.leader.Leadership;
import dev.tollgate.operator.leader.LeaseElection;
import dev.tollgate.operator.metrics.OperatorMetrics;
import dev.tollgate.operator.reconciler.ProblemEvents;
import dev.tollgate.operator.reconciler.StatusPatcher;
import dev.tollgate.operator.reconciler.ratelimitpolicy.GatewayApiTargetEventSource;
import dev.tollgate.operator.reconciler.ratelimitpolicy.GatewayApiTargets;
import dev.tollgate.operator.reconciler.ratelimitpolicy.RateLimitPolicyReconciler;
import dev.tollgate.operator.reconciler.route.RouteReconciler;
import dev.tollgate.operator.snapshot.CompiledSnapshot;
import dev.tollgate.operator.snapshot.FeedbackPoller;
import dev.tollgate.operator.snapshot.SnapshotCompiler;
import dev.tollgate.operator.snapshot.SnapshotState;
import dev.tollgate.operator.snapshot.SnapshotSync;
import dev.tollgate.operator.snapshot.SnapshotSyncMetrics;
import dev.tollgate.operator.snapshot.SnapshotWriter;
import dev.tollgate.operator.snapshot.StoredHostOwners;
import dev.tollgate.operator.status.StatusConditions;
import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.rules.Rulebook;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled operator: informers and snapshot sync, gateway feedback, the two JOSDK controllers
 * behind leader election, and the probe/metrics endpoint. {@link OperatorMain} runs one per
 * process; tests run one or two in-process against a real API server and Redis.
 */
public final class TollgateOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TollgateOperator.class);

  private final RedisConnection<String, String> redis;
  private final InformerClusterView view;
  private final SnapshotSync sync;
  private final Optional<GatewayApiStatusWriter> gatewayStatus;
  private final FeedbackPoller feedback;
  private final Operator operator;
  private final OperatorHttpServer http;
  private final AtomicBoolean closing;
  private final Runnable releaseLease;

  private TollgateOperator(
      RedisConnection<String, String> redis,
      InformerClusterView view,
      SnapshotSync sync,
      Optional<GatewayApiStatusWriter> gatewayStatus,
      FeedbackPoller feedback,
      Operator operator,
      OperatorHttpServer http,
      AtomicBoolean closing,
      Runnable releaseLease) {
    this.redis = redis;
    this.view = view;
    this.sync = sync;
    this.gatewayStatus = gatewayStatus;
    this.feedback = feedback;
    this.operator = operator;
    this.http = http;
    this.closing = closing;
    this.releaseLease = releaseLease;
  }

  /**
   * @param exitOnStopLeading exit the JVM when the lease is lost or a newer leader fenced this
   *     replica out (production: Kubernetes restarts it as a clean follower); false in tests
   */
  public static TollgateOperator start(
      OperatorSettings settings, KubernetesClient client, boolean exitOnStopLeading) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Unlike the limiter's, nothing is queued while disconnected: a snapshot write that cannot
    // reach Redis fails fast and is retried from fresh caches, never replayed later with stale
    // content. All config keys of the instance share a hash slot, so on a cluster every command
    // and script goes to one node.
    RedisConnection<String, String> redis =
        RedisConnection.open(settings.redis().target(), LettuceOptions.control(), StringCodec.UTF8);
    ConfigKeys keys = settings.redis().keys();
    Leadership leadership = settings.leaderElection() ? new Leadership() : Leadership.always();
    OperatorMetrics metrics = new OperatorMetrics(registry, leadership::isLeader);
    AtomicBoolean closing = new AtomicBoolean();
    if (exitOnStopLeading) {
      leadership.onStopLeading(() -> exitUnlessClosing(closing));
    }
    SnapshotState state = new SnapshotState();

    // The Gateway API is optional: its kinds are watched where its CRDs are installed.
    boolean gatewayApi = client.supports(HTTPRoute.class);
    Optional<CertificateBundleWriter> bundle =
        gatewayApi ? bundleWriter(settings, client, metrics) : Optional.empty();
    InformerClusterView view =
        new InformerClusterView(
            client,
            settings.watchNamespaces(),
            gatewayApi,
            bundle.isPresent(),
            settings
                .gatewayApi()
                .addressService()
                .map(s -> new InformerClusterView.ServiceKey(s.namespace(), s.name())));
    Rulebook rulebook = Rulebook.standard().withTenancy(settings.tenancy());
    Listeners listeners = new Listeners(view, settings.gatewayApi());
    SnapshotCompiler compiler =
        new SnapshotCompiler(
            view,
            rulebook,
            gatewayApi
                ? Optional.of(new HttpRouteResolver(view, listeners, rulebook))
                : Optional.empty());
    Optional<GatewayApiStatusWriter> gatewayStatus =
        gatewayApi
            ? Optional.of(
                new GatewayApiStatusWriter(
                    client, view, listeners, bundle, settings.gatewayApi(), Clock.systemUTC()))
            : Optional.empty();
    AtomicBoolean ownersRead = new AtomicBoolean();
    SnapshotSync sync =
        new SnapshotSync(
            () -> {
              if (!ownersRead.get()) {
                // once, before this leader's first compilation (a failed read is tried again)
                compiler.hostOwners().ownedBefore(StoredHostOwners.read(redis.sync(), keys));
                ownersRead.set(true);
              }
              CompiledSnapshot compiled = compiler.compile();
              gatewayStatus.ifPresent(w -> w.publish(compiler.httpRouteResolutions()));
              return compiled;
            },
            view::synced,
            new SnapshotWriter(redis.sync(), keys, leadership::epoch),
            state,
            leadership,
            new SnapshotSyncMetrics(registry),
            settings.debounceQuietPeriod(),
            settings.debounceMaxDelay());
    GatewayApiTargetEventSource policyTargets = new GatewayApiTargetEventSource();
    view.start(
        change -> {
          compiler.changed(change);
          sync.trigger();
          policyTargets.accept(change);
        });
    sync.start();
    FeedbackPoller feedback =
        new FeedbackPoller(
            new GatewayFeedback(redis.sync(), keys), state, metrics, settings.feedbackInterval());
    feedback.start();

    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    LeaseElection.configuration(settings, client, leadership));
              }
            });
    Clock clock = Clock.systemUTC();
    StatusConditions conditions = new StatusConditions(clock);
    ProblemEvents events = new ProblemEvents(client, clock, settings.identity());
    operator.register(
        new RouteReconciler(
            rulebook,
            state,
            compiler.hostOwners(),
            new StatusPatcher<>(
                conditions,
                events,
                Route::new,
                (route, generation, c) -> new RouteStatus(generation, c))),
        namespaces(settings));
    operator.register(
        new RateLimitPolicyReconciler(
            rulebook,
            state,
            new StatusPatcher<>(
                conditions,
                events,
                RateLimitPolicy::new,
                (policy, generation, c) ->
                    new RateLimitPolicyStatus(generation, c).withSummaryOf(policy.getSpec())),
            new GatewayApiTargets(view),
            policyTargets),
        namespaces(settings));
    operator.start();

    OperatorHttpServer http =
        OperatorHttpServer.start(
            settings.httpHost(),
            settings.httpPort(),
            () -> view.synced() && redis.isOpen(),
            registry);
    LOG.info(
        "tollgate operator {} started: gateway '{}', namespaces {}, http port {}, Gateway API {}",
        settings.identity(),
        settings.redis().gatewayName(),
        settings.watchesAllNamespaces() ? "all" : settings.watchNamespaces(),
        http.port(),
        gatewayApi
            ? "on (controllerName "
                + settings.gatewayApi().controllerName()
                + (bundle.isPresent() ? ", HTTPS listener certificates on" : "")
                + ")"
            : "off (its CRDs are not installed)");
    Runnable releaseLease =
        settings.leaderElection() ? () -> LeaseElection.release(settings, client) : () -> {};
    return new TollgateOperator(
        redis, view, sync, gatewayStatus, feedback, operator, http, closing, releaseLease);
  }

  /**
   * The writer of the listener certificate bundle, when {@value
   * OperatorSettings#LISTENER_CERTIFICATES_SECRET} is set; a bare name is in the operator's own
   * namespace (its pod's, or the kubeconfig context's).
   */
  private static Optional<CertificateBundleWriter> bundleWriter(
      OperatorSettings settings, KubernetesClient client, OperatorMetrics metrics) {
    return settings
        .gatewayApi()
        .listenerCertificates()
        .map(
            secret ->
                new CertificateBundleWriter(
                    client,
                    secret
                        .namespace()
                        .or(() -> Optional.ofNullable(client.getNamespace()))
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    OperatorSettings.LISTENER_CERTIFICATES_SECRET
                                        + "="
                                        + secret.name()
                                        + ": the operator's namespace is unknown; give"
                                        + " namespace/name")),
                    secret.name(),
                    secret.mountingPods(),
                    metrics));
  }

  /** The probe/metrics port actually bound (differs from the setting when that is 0). */
  public int httpPort() {
    return http.port();
  }

  private static void exitUnlessClosing(AtomicBoolean closing) {
    if (!closing.get()) {
      LOG.error("this replica no longer leads; exiting so that it restarts as a follower");
      // Not from the calling thread: it may be one that System.exit's shutdown hooks wait for.
      Thread.ofPlatform().name("tollgate-exit").start(() -> System.exit(1));
    }
  }

  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata>
      Consumer<ControllerConfigurationOverrider<P>> namespaces(OperatorSettings settings) {
    return o -> {
      if (!settings.watchesAllNamespaces()) {
        o.settingNamespaces(settings.watchNamespaces());
      }
    };
  }

  @Override
  public void close() {
    closing.set(true);
    http.close();
    operator.stop();
    feedback.close();
    sync.close();
    gatewayStatus.ifPresent(GatewayApiStatusWriter::close);
    view.close();
    // After the last snapshot write: the next leader may write as soon as it holds the Lease.
    releaseLease.run();
    redis.close();
  }
}
