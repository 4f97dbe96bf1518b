package dev.tollgate.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.v1alpha1.KeyPart;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.Enforcement;
import dev.tollgate.gateway.auth.ClientIdentity;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ClientKeyResolverTest {
  private static final List<KeyComponent> SUB = List.of(new KeyComponent.Claim("sub"));

  private static KeyInputs request(ClientIdentity identity, Map<String, List<String>> headers)
      throws Exception {
    return new KeyInputs(
        identity,
        name -> headers.getOrDefault(name, List.of()),
        ClientNetwork.of(InetAddress.getByName("203.0.113.9"), 64),
        "/orders/7",
        "GET",
        "shop/orders",
        Optional.empty());
  }

  private static ClientIdentity claims(Map<String, JsonValue> claims) {
    return new ClientIdentity(claims);
  }

  @Test
  void joinsLabelledPartsInOrder() throws Exception {
    List<KeyComponent> parts =
        List.of(
            new KeyComponent.Claim("sub"),
            new KeyComponent.Header("X-Api-Key"),
            new KeyComponent.ClientIp(),
            new KeyComponent.Path(),
            new KeyComponent.Method(),
            new KeyComponent.Route());
    KeyInputs in =
        request(
            claims(Map.of("sub", Json.createValue("alice"))), Map.of("x-api-key", List.of("k1")));

    assertThat(ClientKeyResolver.resolve(parts, in, Enforcement.ENFORCE))
        .isEqualTo(
            "claim:sub=alice|header:x-api-key=k1|clientIP=203.0.113.9|path=/orders/7"
                + "|method=GET|route=shop/orders");
  }

  @Test
  void anEnforcedLimitRefusesAKeyHeaderSentOnMoreThanOneLine() throws Exception {
    List<KeyComponent> apiKey = List.of(new KeyComponent.Header("X-Api-Key"));
    // a second line of anything would otherwise make a fresh bucket for the same API key
    KeyInputs twoLines =
        request(ClientIdentity.anonymous(), Map.of("x-api-key", List.of("k1", "")));

    assertThatThrownBy(() -> ClientKeyResolver.resolve(apiKey, twoLines, Enforcement.ENFORCE))
        .isInstanceOf(RepeatedKeyHeaderException.class)
        .hasMessage("The header x-api-key keys a rate limit and may be sent only once.");
  }

  @Test
  void aShadowLimitKeysOnTheLinesJoinedAndRefusesNothing() throws Exception {
    List<KeyComponent> apiKey = List.of(new KeyComponent.Header("X-Api-Key"));
    KeyInputs twoLines =
        request(ClientIdentity.anonymous(), Map.of("x-api-key", List.of("k1", "k2")));

    assertThat(ClientKeyResolver.resolve(apiKey, twoLines, Enforcement.SHADOW))
        .isEqualTo("header:x-api-key=k1,k2");
  }

  @Test
  void anIpv6ClientIsKeyedByItsSlash64SoNewAddressesFromItsPrefixShareOneBucket() throws Exception {
    List<KeyComponent> ip = List.of(new KeyComponent.ClientIp());
    String first = keyOf(ip, ClientNetwork.of(InetAddress.getByName("2001:db8:7:1::1"), 64));
    String rotated =
        keyOf(ip, ClientNetwork.of(InetAddress.getByName("2001:db8:7:1:dead:beef:0:42"), 64));
    String neighbour = keyOf(ip, ClientNetwork.of(InetAddress.getByName("2001:db8:7:2::1"), 64));

    assertThat(first).isEqualTo("clientIP=2001:db8:7:1:0:0:0:0/64").isEqualTo(rotated);
    assertThat(neighbour).isNotEqualTo(first);
  }

  @Test
  void theIpv6PrefixIsConfigurableAndIpv4StaysWhole() throws Exception {
    List<KeyComponent> ip = List.of(new KeyComponent.ClientIp());

    assertThat(keyOf(ip, ClientNetwork.of(InetAddress.getByName("2001:db8:7:1::1"), 128)))
        .isEqualTo("clientIP=2001:db8:7:1:0:0:0:1");
    assertThat(keyOf(ip, ClientNetwork.of(InetAddress.getByName("2001:db8:7:1::1"), 48)))
        .isEqualTo("clientIP=2001:db8:7:0:0:0:0:0/48");
    assertThat(keyOf(ip, ClientNetwork.of(InetAddress.getByName("203.0.113.9"), 48)))
        .isEqualTo("clientIP=203.0.113.9");
    assertThat(keyOf(ip, ClientNetwork.of(InetAddress.getByName("::ffff:203.0.113.9"), 64)))
        .as("an IPv4-mapped address is the IPv4 client")
        .isEqualTo("clientIP=203.0.113.9");
  }

  private static String keyOf(List<KeyComponent> parts, ClientNetwork client) {
    return ClientKeyResolver.resolve(
        parts,
        new KeyInputs(
            ClientIdentity.anonymous(),
            name -> List.of(),
            client,
            "/",
            "GET",
            "shop/orders",
            Optional.empty()),
        Enforcement.ENFORCE);
  }

  @Test
  void noPartsMeansOneSharedBucket() throws Exception {
    assertThat(
            ClientKeyResolver.resolve(
                List.of(), request(ClientIdentity.anonymous(), Map.of()), Enforcement.ENFORCE))
        .isEmpty();
  }

  @Test
  void clientCertificateSubjectsKeySeparateBucketsAndNoCertificateSharesOne() throws Exception {
    List<KeyComponent> parts = List.of(new KeyComponent.ClientCertificate());
    String teamA = keyOfCertificate(parts, Optional.of("CN=team-a,O=example"));
    String teamB = keyOfCertificate(parts, Optional.of("CN=team-b,O=example"));
    String none = keyOfCertificate(parts, Optional.empty());
    assertThat(teamA).startsWith("clientCertificate=").isNotEqualTo(teamB).isNotEqualTo(none);
    assertThat(none).isEqualTo(keyOfCertificate(parts, Optional.empty()));
  }

  private static String keyOfCertificate(List<KeyComponent> parts, Optional<String> subject)
      throws Exception {
    return ClientKeyResolver.resolve(
        parts,
        new KeyInputs(
            ClientIdentity.anonymous(),
            name -> List.of(),
            ClientNetwork.of(InetAddress.getByName("203.0.113.9"), 64),
            "/",
            "GET",
            "shop/orders",
            subject),
        Enforcement.ENFORCE);
  }

  @Test
  void missingPartsShareTheFallbackBucketInsteadOfPassing() throws Exception {
    List<KeyComponent> parts =
        List.of(new KeyComponent.Claim("sub"), new KeyComponent.Header("x-api-key"));

    String anonymous =
        ClientKeyResolver.resolve(
            parts, request(ClientIdentity.anonymous(), Map.of()), Enforcement.ENFORCE);
    String emptyHeader =
        ClientKeyResolver.resolve(
            parts,
            request(claims(Map.of("sub", JsonValue.NULL)), Map.of("x-api-key", List.of(""))),
            Enforcement.ENFORCE);

    assertThat(anonymous).isEqualTo("claim:sub=~missing~|header:x-api-key=~missing~");
    assertThat(emptyHeader).isEqualTo(anonymous);
  }

  @Test
  void aClientCannotForgeTheMissingMarkerOrASeparator() throws Exception {
    String forgedMarker =
        ClientKeyResolver.resolve(
            SUB,
            request(claims(Map.of("sub", Json.createValue("~missing~"))), Map.of()),
            Enforcement.ENFORCE);
    String forgedSplit =
        ClientKeyResolver.resolve(
            List.of(new KeyComponent.Header("a"), new KeyComponent.Header("b")),
            request(ClientIdentity.anonymous(), Map.of("a", List.of("x|header:b=y"))),
            Enforcement.ENFORCE);
    String honest =
        ClientKeyResolver.resolve(
            List.of(new KeyComponent.Header("a"), new KeyComponent.Header("b")),
            request(ClientIdentity.anonymous(), Map.of("a", List.of("x"), "b", List.of("y"))),
            Enforcement.ENFORCE);

    assertThat(forgedMarker).isEqualTo("claim:sub=%7Emissing%7E");
    assertThat(forgedSplit).isNotEqualTo(honest);
  }

  @Test
  void longValuesAreHashedToABoundedLength() throws Exception {
    String longValue = "v".repeat(8_000);
    String key =
        ClientKeyResolver.resolve(
            List.of(new KeyComponent.Header("x-api-key")),
            request(ClientIdentity.anonymous(), Map.of("x-api-key", List.of(longValue))),
            Enforcement.ENFORCE);

    assertThat(key).startsWith("header:x-api-key=#").hasSizeLessThan(80);
  }

  @Test
  void longValuesDifferingOnlyInAnUnpairedSurrogateAreHashedApart() throws Exception {
    // a JWT claim may hold a lone surrogate ("\\ud800" in JSON); UTF-8 encoding turned it into '?'
    String tail = "x".repeat(200);
    String surrogate =
        ClientKeyResolver.resolve(
            SUB,
            request(claims(Map.of("sub", Json.createValue("\ud800" + tail))), Map.of()),
            Enforcement.ENFORCE);
    String question =
        ClientKeyResolver.resolve(
            SUB,
            request(claims(Map.of("sub", Json.createValue("?" + tail))), Map.of()),
            Enforcement.ENFORCE);

    assertThat(surrogate).startsWith("claim:sub=#").isNotEqualTo(question);
  }

  @Test
  void numericAndStructuredClaimsHaveStableText() throws Exception {
    KeyInputs in =
        request(
            claims(
                Map.of(
                    "tenant", Json.createValue(42),
                    "groups", Json.createArrayBuilder().add("a").add("b").build())),
            Map.of());

    assertThat(
            ClientKeyResolver.resolve(
                List.of(new KeyComponent.Claim("tenant"), new KeyComponent.Claim("groups")),
                in,
                Enforcement.ENFORCE))
        .isEqualTo("claim:tenant=42|claim:groups=[\"a\",\"b\"]");
  }

  /** Seeded property: distinct claim values never share a key. Replay with the printed seed. */
  @RepeatedTest(20)
  void distinctValuesNeverCollide() throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String alphabet = "ab|=~%#:-\u00e9";
    Set<String> values = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      StringBuilder value = new StringBuilder();
      int length = 1 + random.nextInt(6);
      for (int j = 0; j < length; j++) {
        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (values.add(value.toString())) {
        String key =
            ClientKeyResolver.resolve(
                SUB,
                request(claims(Map.of("sub", Json.createValue(value.toString()))), Map.of()),
                Enforcement.ENFORCE);
        assertThat(keys.add(key)).as("seed %d: collision for %s", seed, value).isTrue();
      }
    }
  }

  @Test
  void compilesCrdKeyPartsRequiringExactlyOneField() {
    KeyPart ip = new KeyPart();
    ip.setClientIP(true);
    KeyPart two = KeyPart.claim("sub");
    two.setMethod(true);

    assertThat(KeyComponent.of(KeyPart.header("X-User")))
        .isEqualTo(new KeyComponent.Header("x-user"));
    assertThat(KeyComponent.of(ip)).isEqualTo(new KeyComponent.ClientIp());
    assertThatThrownBy(() -> KeyComponent.of(two)).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> KeyComponent.of(new KeyPart())).hasMessageContaining("found 0");
  }
}
