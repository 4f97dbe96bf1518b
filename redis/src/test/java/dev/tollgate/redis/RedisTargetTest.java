package dev.tollgate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisTargetTest {
  @Test
  void readsAStandaloneUrlWithTls() {
    assertThat(RedisTarget.parse("rediss://user:secret@redis.example:6380/2"))
        .isInstanceOfSatisfying(
            RedisTarget.Standalone.class,
            target -> {
              assertThat(target.uri().isSsl()).isTrue();
              assertThat(target.uri().getPort()).isEqualTo(6380);
              assertThat(target.uri().getDatabase()).isEqualTo(2);
            });
  }

  @Test
  void readsASentinelUrlWithItsMaster() {
    assertThat(RedisTarget.parse("redis-sentinel://s1:26379,s2:26379#mymaster"))
        .isInstanceOfSatisfying(
            RedisTarget.Sentinel.class,
            target -> {
              assertThat(target.uri().getSentinelMasterId()).isEqualTo("mymaster");
              assertThat(target.uri().getSentinels()).hasSize(2);
            });
  }

  @Test
  void readsCommaSeparatedNodesAsACluster() {
    assertThat(RedisTarget.parse("redis://a:7000, redis://b:7001,redis://c:7002"))
        .isInstanceOfSatisfying(
            RedisTarget.Cluster.class, target -> assertThat(target.seeds()).hasSize(3));
  }

  @Test
  void readsEverySentinelOfAMultiSentinelUrlNotAClusterOfThem() {
    RedisTarget target =
        RedisTarget.parse(
            "redis-sentinel://s1:26379,s2:26380,s3#mymaster",
            Optional.of("tollgate"),
            Optional.of("p@ss:w/rd#1 %"));

    assertThat(target)
        .isInstanceOfSatisfying(
            RedisTarget.Sentinel.class,
            sentinel -> {
              assertThat(sentinel.uri().getSentinelMasterId()).isEqualTo("mymaster");
              assertThat(sentinel.uri().getSentinels())
                  .extracting(uri -> uri.getHost() + ":" + uri.getPort())
                  .containsExactly("s1:26379", "s2:26380", "s3:26379");
            });
    RedisCredentials credentials = credentials(target.nodes().getFirst());
    assertThat(credentials.getUsername()).isEqualTo("tollgate");
    assertThat(new String(credentials.getPassword())).isEqualTo("p@ss:w/rd#1 %");
  }

  @Test
  void credentialsGivenApartWinOverThoseInTheUrlOnEveryClusterSeed() {
    RedisTarget target =
        RedisTarget.parse(
            "redis://old:stale@a:7000, redis://b:7001", Optional.empty(), Optional.of("s e"));

    assertThat(target.nodes())
        .allSatisfy(
            node -> {
              assertThat(credentials(node).getUsername()).isNull();
              assertThat(new String(credentials(node).getPassword())).isEqualTo("s e");
            });
  }

  private static RedisCredentials credentials(RedisURI uri) {
    return uri.getCredentialsProvider().resolveCredentials().block();
  }

  @Test
  void rejectsAnUnknownSchemeWithoutEchoingThePassword() {
    assertThatThrownBy(() -> RedisTarget.parse("http://user:secret@redis:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOLLGATE_REDIS_URL: 'http://***@redis:6379' must start with")
        .hasMessageNotContaining("secret");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "redis://:SECRET/PART@redis:6379",
        "redis://:SECRET@PART@redis:6379",
        "redis://:SECRET#PART@redis:6379",
        "redis://SECRET:12?PART@redis:6379",
        "redis://:SECRET,PART@redis:6379",
        "redis-sentinel://:SECRET/PART@s1:26379#mymaster",
        "redis://a:7000,redis://:SECRET#PART@b:7001"
      })
  void refusesAPasswordWithUnencodedReservedCharactersWithoutEchoingAnyOfIt(String url) {
    assertThatThrownBy(() -> RedisTarget.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOLLGATE_REDIS_URL: ")
        .hasMessageNotContaining("SECRET")
        .hasMessageNotContaining("PART");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "redis://redis:notaport",
        "redis://redis:6379:1",
        "redis://:6379",
        "redis://a:7000,b"
      })
  void refusesAUrlWithoutAHostAndNumericPort(String url) {
    assertThatThrownBy(() -> RedisTarget.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOLLGATE_REDIS_URL: ");
  }

  @Test
  void readsAnIpv6HostAndAnEncodedPassword() {
    RedisURI uri =
        RedisTarget.parse("redis://tollgate:p%40ss%3Aw%2Frd@[::1]:6380/3").nodes().getFirst();

    assertThat(uri.getHost()).isEqualTo("[::1]");
    assertThat(uri.getPort()).isEqualTo(6380);
    assertThat(uri.getDatabase()).isEqualTo(3);
    assertThat(credentials(uri).getUsername()).isEqualTo("tollgate");
    assertThat(new String(credentials(uri).getPassword())).isEqualTo("p@ss:w/rd");
  }
}
