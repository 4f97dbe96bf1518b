package dev.tollgate.operator.config;

import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.redis.RedisSettings;
import dev.tollgate.rules.Tenancy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

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

  public static OperatorSettings from(Map<String, String> env) {
    Function<String, Optional<String>> get =
        name -> Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    RedisSettings redis =
        RedisSettings.from(
                name ->
                    name.equals(REDIS_URL)
                        ? get.apply(REDIS_URL).orElse(DEFAULT_REDIS_URL)
                        : env.get(name))
            .orElseThrow();
    return new OperatorSettings(
        redis,
        get.apply(WATCH_NAMESPACES).map(OperatorSettings::namespaces).orElse(Set.of()),
        get.apply(HTTP_HOST).orElse("0.0.0.0"),
        get.apply(HTTP_PORT).map(v -> integer(HTTP_PORT, v)).orElse(8081),
        get.apply(LEADER_ELECTION).map(v -> bool(LEADER_ELECTION, v)).orElse(true),
        get.apply(LEASE_NAME).orElse("tollgate-operator"),
        get.apply(LEASE_NAMESPACE),
        get.apply(IDENTITY).or(() -> get.apply("POD_NAME")).orElseGet(OperatorSettings::hostname),
        duration(get, LEASE_DURATION, "15s"),
        duration(get, RENEW_DEADLINE, "10s"),
        duration(get, RETRY_PERIOD, "2s"),
        duration(get, DEBOUNCE, "150ms"),
        duration(get, DEBOUNCE_MAX_DELAY, "500ms"),
        duration(get, FEEDBACK_INTERVAL, "5s"),
        Tenancy.from(env::get),
        new GatewayApiSettings(
            get.apply(GATEWAY_CONTROLLER_NAME).orElse(GatewayApiSettings.DEFAULT_CONTROLLER_NAME),
            get.apply(GATEWAY_SERVICE).map(GatewayApiSettings::serviceRef)));
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  private static Set<String> namespaces(String value) {
    return Arrays.stream(value.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static Duration duration(
      Function<String, Optional<String>> get, String name, String fallback) {
    String value = get.apply(name).orElse(fallback);
    try {
      return DurationStrings.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + "=" + value + ": " + e.getMessage(), e);
    }
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + value + ": expected an integer", e);
    }
  }

  private static boolean bool(String name, String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + "=" + value + ": expected true|false");
    };
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "tollgate-operator-" + ProcessHandle.current().pid();
    }
  }
}
