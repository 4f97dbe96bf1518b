package dev.tollgate.operator.config;

import dev.tollgate.api.common.Settings;
import dev.tollgate.redis.RedisSettings;
import dev.tollgate.rules.Tenancy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the operator reads from its environment, validated once at start. Every variable has a
 * default (docs/operator.md lists them), so {@code java -jar tollgate-operator.jar} runs against a
 * local Redis and the current kubeconfig without any setting.
 *
 * @param redis where the snapshot goes, read as the gateways read it ({@link RedisSettings})
 * @param watchNamespaces empty = all namespaces
 * @param leaseNamespace empty = the namespace of the operator's own pod / kubeconfig context
 * @param tenancy the rules for teams sharing the gateway instance ({@link Tenancy}: closed by
 *     default)
 */
public record OperatorSettings(
    RedisSettings redis,
    Set<String> watchNamespaces,
    String httpHost,
    int httpPort,
    boolean leaderElection,
    String leaseName,
    Optional<String> leaseNamespace,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    Duration debounceQuietPeriod,
    Duration debounceMaxDelay,
    Duration feedbackInterval,
    Tenancy tenancy,
    GatewayApiSettings gatewayApi) {

  public static final String REDIS_URL = RedisSettings.URL;
  public static final String REDIS_USERNAME = RedisSettings.USERNAME;
  public static final String REDIS_PASSWORD = RedisSettings.PASSWORD;
  public static final String GATEWAY_NAME = RedisSettings.GATEWAY_NAME;

  /** Without a setting, a Redis on this machine: {@code java -jar} needs no configuration. */
  public static final String DEFAULT_REDIS_URL = "redis://localhost:6379";

  public static final String WATCH_NAMESPACES = "TOLLGATE_WATCH_NAMESPACES";
  public static final String HTTP_HOST = "TOLLGATE_OPERATOR_HTTP_HOST";
  public static final String HTTP_PORT = "TOLLGATE_OPERATOR_HTTP_PORT";
  public static final String LEADER_ELECTION = "TOLLGATE_LEADER_ELECTION";
  public static final String LEASE_NAME = "TOLLGATE_LEADER_ELECTION_LEASE_NAME";
  public static final String LEASE_NAMESPACE = "TOLLGATE_LEADER_ELECTION_LEASE_NAMESPACE";
  public static final String IDENTITY = "TOLLGATE_OPERATOR_IDENTITY";
  public static final String LEASE_DURATION = "TOLLGATE_LEADER_ELECTION_LEASE_DURATION";
  public static final String RENEW_DEADLINE = "TOLLGATE_LEADER_ELECTION_RENEW_DEADLINE";
  public static final String RETRY_PERIOD = "TOLLGATE_LEADER_ELECTION_RETRY_PERIOD";
  public static final String DEBOUNCE = "TOLLGATE_SNAPSHOT_DEBOUNCE";
  public static final String DEBOUNCE_MAX_DELAY = "TOLLGATE_SNAPSHOT_MAX_DELAY";
  public static final String FEEDBACK_INTERVAL = "TOLLGATE_FEEDBACK_INTERVAL";
  public static final String GATEWAY_CONTROLLER_NAME = "TOLLGATE_GATEWAY_CONTROLLER_NAME";
  public static final String GATEWAY_SERVICE = "TOLLGATE_GATEWAY_SERVICE";
  public static final String LISTENER_CERTIFICATES_SECRET = "TOLLGATE_LISTENER_CERTIFICATES_SECRET";
  public static final String LISTENER_CERTIFICATES_PODS = "TOLLGATE_LISTENER_CERTIFICATES_PODS";

  public OperatorSettings {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException(HTTP_PORT + "=" + httpPort + ": expected 0..65535");
    }
    if (debounceMaxDelay.compareTo(debounceQuietPeriod) < 0) {
      throw new IllegalArgumentException(
          DEBOUNCE_MAX_DELAY
              + " must not be shorter than "
              + DEBOUNCE
              + ", got "
              + debounceMaxDelay);
    }
    if (renewDeadline.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException(
          RENEW_DEADLINE + " must be shorter than " + LEASE_DURATION + ", got " + renewDeadline);
    }
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  public static OperatorSettings fromEnvironment() {
    return from(System.getenv());
  }

  /** Variable → default ({@code ""} = unset); docs/operator.md lists them. */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(REDIS_URL, DEFAULT_REDIS_URL);
    d.put(REDIS_USERNAME, "");
    d.put(REDIS_PASSWORD, "");
    d.put(GATEWAY_NAME, RedisSettings.DEFAULT_GATEWAY_NAME);
    d.put(WATCH_NAMESPACES, "");
    d.put(HTTP_HOST, "0.0.0.0");
    d.put(HTTP_PORT, "8081");
    d.put(LEADER_ELECTION, "true");
    d.put(LEASE_NAME, "tollgate-operator");
    d.put(LEASE_NAMESPACE, "");
    d.put(IDENTITY, "");
    d.put(LEASE_DURATION, "15s");
    d.put(RENEW_DEADLINE, "10s");
    d.put(RETRY_PERIOD, "2s");
    // 50 ms / 250 ms: three teams editing at once under traffic waited 285 ms (p50) and 538 ms
    // (p99) from kubectl returning to both gateways serving with 150 ms / 500 ms, almost all of it
    // pacing; a version carries only the entries that changed, so four writes a second are cheap
    d.put(DEBOUNCE, "50ms");
    d.put(DEBOUNCE_MAX_DELAY, "250ms");
    d.put(FEEDBACK_INTERVAL, "5s");
    d.put(GATEWAY_CONTROLLER_NAME, GatewayApiSettings.DEFAULT_CONTROLLER_NAME);
    d.put(GATEWAY_SERVICE, "");
    d.put(LISTENER_CERTIFICATES_SECRET, "");
    d.put(LISTENER_CERTIFICATES_PODS, "");
    return Map.copyOf(d);
  }

  /**
   * @param env the process environment ({@code POD_NAME}, then the host name, is the identity when
   *     {@value #IDENTITY} is unset; the tenancy variables are read by {@link Tenancy})
   * @throws IllegalArgumentException naming the variable and the bad value
   */
  public static OperatorSettings from(Map<String, String> env) {
    Settings s = Settings.read(DEFAULTS, env, List.of());
    return new OperatorSettings(
        RedisSettings.from(s::lookup).orElseThrow(),
        Set.copyOf(s.list(WATCH_NAMESPACES)),
        s.get(HTTP_HOST),
        s.port(HTTP_PORT),
        s.bool(LEADER_ELECTION),
        s.get(LEASE_NAME),
        s.optional(LEASE_NAMESPACE),
        s.optional(IDENTITY)
            .or(
                () ->
                    Optional.ofNullable(env.get("POD_NAME"))
                        .map(String::strip)
                        .filter(v -> !v.isEmpty()))
            .orElseGet(OperatorSettings::hostname),
        s.duration(LEASE_DURATION),
        s.duration(RENEW_DEADLINE),
        s.duration(RETRY_PERIOD),
        s.duration(DEBOUNCE),
        s.duration(DEBOUNCE_MAX_DELAY),
        s.duration(FEEDBACK_INTERVAL),
        Tenancy.from(env::get),
        new GatewayApiSettings(
            s.get(GATEWAY_CONTROLLER_NAME),
            s.optional(GATEWAY_SERVICE).map(GatewayApiSettings::serviceRef),
            s.optional(LISTENER_CERTIFICATES_SECRET)
                .map(
                    secret ->
                        GatewayApiSettings.listenerCertificatesSecret(
                            secret, s.list(LISTENER_CERTIFICATES_PODS)))));
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "tollgate-operator-" + ProcessHandle.current().pid();
    }
  }
}
