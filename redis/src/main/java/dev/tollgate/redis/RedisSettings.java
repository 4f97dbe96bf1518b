package dev.tollgate.redis;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.GatewayName;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where and as whom the gateways (limiter and config source) and the operator reach Redis, and the
 * instance whose keys they use: the one reading of {@value #URL}, {@value #USERNAME}, {@value
 * #PASSWORD} and {@value #GATEWAY_NAME}, so both planes take a URL the same way (a URL from a
 * ConfigMap, the password from a Secret).
 *
 * @param target the Redis, with the credentials applied
 * @param gatewayName the instance {@code <gw>} in every key; a DNS label ({@link GatewayName})
 */
public record RedisSettings(RedisTarget target, String gatewayName) {
  public static final String URL = "TOLLGATE_REDIS_URL";
  public static final String USERNAME = "TOLLGATE_REDIS_USERNAME";
  public static final String PASSWORD = "TOLLGATE_REDIS_PASSWORD";
  public static final String GATEWAY_NAME = "TOLLGATE_GATEWAY_NAME";
  public static final String DEFAULT_GATEWAY_NAME = "default";

  public RedisSettings {
    GatewayName.require(gatewayName);
  }

  /**
   * The settings in {@code env} (blank values count as unset), or empty when {@value #URL} is
   * unset.
   *
   * @throws IllegalArgumentException naming the variable whose value is wrong
   */
  public static Optional<RedisSettings> from(Function<String, String> env) {
    if (value(env, USERNAME).isPresent() && value(env, PASSWORD).isEmpty()) {
      // Redis authenticates an ACL user by its password only: the user alone would be dropped,
      // and the connection made as the default user instead
      throw new IllegalArgumentException(
          USERNAME + " is set without " + PASSWORD + ": set both, or neither");
    }
    return value(env, URL)
        .map(
            url ->
                new RedisSettings(
                    RedisTarget.parse(url, value(env, USERNAME), value(env, PASSWORD)),
                    value(env, GATEWAY_NAME).orElse(DEFAULT_GATEWAY_NAME)));
  }

  /** The config keys of this instance. */
  public ConfigKeys keys() {
    return new ConfigKeys(gatewayName);
  }

  private static Optional<String> value(Function<String, String> env, String name) {
    return Optional.ofNullable(env.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
  }
}
