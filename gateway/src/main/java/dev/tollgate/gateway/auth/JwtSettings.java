package dev.tollgate.gateway.auth;

import dev.tollgate.api.common.Settings;
import dev.tollgate.gateway.tls.CaBundle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * How bearer tokens are verified, read from {@code TOLLGATE_JWT_*} settings. Validated here so a
 * misconfiguration stops the gateway at start with a message naming the setting, instead of failing
 * every request later.
 *
 * @param issuer required {@code iss}; empty = not checked
 * @param audience required member of {@code aud}; empty = not checked
 * @param jwksUri verification keys from this JWKS URL (https, or http where {@code
 *     TOLLGATE_JWT_JWKS_ALLOW_HTTP=true} allowed it)
 * @param jwksFile verification keys from this JWKS file (exclusive with {@code jwksUri})
 * @param jwksCaFile the CAs an https {@code jwksUri} is verified against (an issuer inside the
 *     cluster with a private CA); empty = the JVM's default trust store
 * @param hmacSecret shared secret for HS* tokens; without it HS* is never accepted
 * @param algorithms the allow-list of JWS algorithms
 * @param leeway clock skew tolerated on {@code exp} and {@code nbf}
 */
public record JwtSettings(
    Optional<String> issuer,
    Optional<String> audience,
    Optional<URI> jwksUri,
    Optional<Path> jwksFile,
    Optional<Path> jwksCaFile,
    Optional<String> hmacSecret,
    Set<SignatureAlgorithm> algorithms,
    Duration leeway) {

  public static final String ISSUER = "TOLLGATE_JWT_ISSUER";
  public static final String AUDIENCE = "TOLLGATE_JWT_AUDIENCE";
  public static final String JWKS_URI = "TOLLGATE_JWT_JWKS_URI";
  public static final String JWKS_FILE = "TOLLGATE_JWT_JWKS_FILE";
  public static final String HMAC_SECRET = "TOLLGATE_JWT_HMAC_SECRET";
  public static final String ALGORITHMS = "TOLLGATE_JWT_ALGORITHMS";
  public static final String LEEWAY = "TOLLGATE_JWT_LEEWAY";
  public static final String JWKS_ALLOW_HTTP = "TOLLGATE_JWT_JWKS_ALLOW_HTTP";
  public static final String JWKS_CA_FILE = "TOLLGATE_JWT_JWKS_CA_FILE";

  /** Longest a JWKS fetch may take, body included; fetches never run on a request's thread. */
  static final Duration JWKS_FETCH_DEADLINE = Duration.ofSeconds(5);

  /**
   * The most clock skew tolerated. RFC 7519 4.1.4 speaks of "usually no more than a few minutes";
   * beyond that a leeway no longer covers clocks that drift but keeps expired tokens (and revoked
   * sessions) alive: a leeway of a day would make every token's {@code exp} a day later.
   */
  static final Duration MAX_LEEWAY = Duration.ofMinutes(5);

  /**
   * The shortest HMAC secret accepted at all: HS256's (RFC 7518 3.2, see {@link
   * #requireLongEnough}).
   */
  static final int MIN_HMAC_SECRET_BYTES = 32;

  static final Set<SignatureAlgorithm> DEFAULT_ASYMMETRIC =
      EnumSet.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256, SignatureAlgorithm.PS256);

  public JwtSettings {
    algorithms = Set.copyOf(algorithms);
    if (jwksUri.isPresent() && jwksFile.isPresent()) {
      throw new IllegalArgumentException(
          JWKS_URI + " and " + JWKS_FILE + " are both set; configure one source of keys");
    }
    if (jwksCaFile.isPresent()
        && !jwksUri.map(uri -> uri.getScheme().equalsIgnoreCase("https")).orElse(false)) {
      throw new IllegalArgumentException(
          JWKS_CA_FILE + " is set but " + JWKS_URI + " is not an https:// URL");
    }
    if (hmacSecret.isEmpty() && algorithms.stream().anyMatch(SignatureAlgorithm::isSymmetric)) {
      throw new IllegalArgumentException(
          ALGORITHMS + " allows an HS* algorithm but " + HMAC_SECRET + " is not set");
    }
    if (hmacSecret.isPresent()) {
      requireLongEnough(hmacSecret.get(), algorithms);
    }
    if (leeway.isNegative()) {
      throw new IllegalArgumentException(LEEWAY + " must not be negative, got " + leeway);
    }
    if (leeway.compareTo(MAX_LEEWAY) > 0) {
      throw new IllegalArgumentException(
          LEEWAY + " must be at most " + MAX_LEEWAY.toMinutes() + "m, got " + leeway);
    }
  }

  /**
   * The secret must be as long as the hash of the longest HS* algorithm allowed (RFC 7518 3.2): a
   * 32-byte secret is enough for HS256 but leaves HS512 weaker than its name. A secret with no HS*
   * allowed still needs {@value #MIN_HMAC_SECRET_BYTES} bytes.
   */
  private static void requireLongEnough(String secret, Set<SignatureAlgorithm> algorithms) {
    Optional<SignatureAlgorithm> longest =
        algorithms.stream()
            .filter(SignatureAlgorithm::isSymmetric)
            .max(Comparator.comparingInt(SignatureAlgorithm::minimumHmacKeyBytes));
    int minimum =
        longest.map(SignatureAlgorithm::minimumHmacKeyBytes).orElse(MIN_HMAC_SECRET_BYTES);
    if (secret.getBytes(StandardCharsets.UTF_8).length < minimum) {
      throw new IllegalArgumentException(
          HMAC_SECRET
              + " must be at least "
              + minimum
              + " bytes"
              + longest.map(alg -> " for " + alg).orElse(""));
    }
  }

  /**
   * Reads the gateway's {@code TOLLGATE_JWT_*} settings. Unset algorithms mean RS256, ES256, PS256
   * (plus HS256 when a secret is set).
   */
  public static JwtSettings from(Settings settings) {
    Optional<String> secret = settings.optional(HMAC_SECRET);
    Set<SignatureAlgorithm> algorithms =
        settings
            .optional(ALGORITHMS)
            .map(JwtSettings::parseAlgorithms)
            .orElseGet(
                () -> {
                  Set<SignatureAlgorithm> defaults = EnumSet.copyOf(DEFAULT_ASYMMETRIC);
                  secret.ifPresent(s -> defaults.add(SignatureAlgorithm.HS256));
                  return defaults;
                });
    return new JwtSettings(
        settings.optional(ISSUER),
        settings.optional(AUDIENCE),
        settings.optional(JWKS_URI).map(uri -> jwksUri(uri, settings.bool(JWKS_ALLOW_HTTP))),
        settings.optional(JWKS_FILE).map(Path::of),
        settings.optional(JWKS_CA_FILE).map(Path::of),
        secret,
        algorithms,
        settings.duration(LEEWAY));
  }

  /**
   * Keys fetched over plain HTTP can be swapped by anyone on the path, so http needs an explicit
   * opt-in (e.g. an issuer inside the cluster's own network).
   */
  private static URI jwksUri(String value, boolean httpAllowed) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(JWKS_URI + " is not a URI: " + e.getMessage(), e);
    }
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (scheme.equals("https") || (scheme.equals("http") && httpAllowed)) {
      return uri;
    }
    throw new IllegalArgumentException(
        JWKS_URI
            + " must be an https:// URL"
            + (scheme.equals("http") ? " (set " + JWKS_ALLOW_HTTP + "=true to allow http)" : ""));
  }

  private static Set<SignatureAlgorithm> parseAlgorithms(String list) {
    Set<SignatureAlgorithm> parsed = EnumSet.noneOf(SignatureAlgorithm.class);
    for (String name : list.split(",")) {
      String alg = name.strip();
      parsed.add(
          SignatureAlgorithm.byName(alg)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          ALGORITHMS
                              + " names unsupported algorithm '"
                              + alg
                              + "'; supported: "
                              + Arrays.toString(SignatureAlgorithm.values()))));
    }
    return parsed;
  }

  /**
   * The key source these settings describe ({@link KeySource#none()} without a JWKS setting).
   *
   * @throws IllegalArgumentException naming {@value #JWKS_CA_FILE} when its bundle cannot be read
   */
  public KeySource keySource() {
    if (jwksUri.isPresent()) {
      // Refresh budget: one fetch per 10s for unknown kids; a routine reload every 5 minutes.
      return RefreshingKeySource.fromUri(
          jwksUri.get(),
          CaBundle.clientContext(JWKS_CA_FILE, jwksCaFile),
          Duration.ofSeconds(10),
          Duration.ofMinutes(5),
          JWKS_FETCH_DEADLINE);
    }
    return jwksFile
        .<KeySource>map(file -> RefreshingKeySource.fromFile(file, Duration.ofSeconds(1)))
        .orElseGet(KeySource::none);
  }
}
