package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisKeysTest {
  private static final RedisKeys KEYS = new RedisKeys("prod");
  private static final LimitId ID = new LimitId("shop", "orders", "per-user");

  private static LimitCheck check(long requests, Algorithm algorithm, String keyValue) {
    return new LimitCheck(
        LimitDefinition.of(ID, algorithm, requests, Duration.ofMinutes(1)), keyValue);
  }

  @Test
  void buildsTheDocumentedLayout() {
    assertThat(KEYS.stateKey(check(10, Algorithm.GCRA, "sub=alice")))
        .matches("tollgate:prod:rl:\\{[0-9a-f]{32}}:shop/orders/per-user:gcra");
  }

  @Test
  void clientInputCannotChooseTheSlotOrGrowTheKey() {
    String hostile = "}{evil}:x/y" + "a".repeat(10_000);
    String key = KEYS.stateKey(check(10, Algorithm.GCRA, hostile));

    assertThat(key).hasSize(KEYS.stateKey(check(10, Algorithm.GCRA, "")).length());
    assertThat(SlotHash.getSlot(key)).isEqualTo(SlotHash.getSlot(RedisKeys.tag(hostile)));
    assertThat(key).doesNotContain("evil");
  }

  @Test
  void distinctKeyValuesGetDistinctKeys() {
    assertThat(KEYS.stateKey(check(10, Algorithm.GCRA, "sub=a:b")))
        .isNotEqualTo(KEYS.stateKey(check(10, Algorithm.GCRA, "sub=a")));
  }

  @Test
  void anUnpairedSurrogateDoesNotShareTheKeyOfAQuestionMark() {
    // a lone surrogate ("\\ud800" in JSON) is a valid JSON string, so a JWT claim can carry it;
    // UTF-8 encoding turns it into
    // '?', which gave both values one Redis key while the in-process engine kept them apart
    assertThat(KEYS.stateKey(check(10, Algorithm.GCRA, "claim:sub=\ud800")))
        .isNotEqualTo(KEYS.stateKey(check(10, Algorithm.GCRA, "claim:sub=?")));
  }

  @Test
  void aWellFormedValueKeepsTheTagOfItsUtf8Bytes() throws Exception {
    // keys written before stay where they are
    String value = "claim:sub=al\u00efce";
    byte[] digest =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(RedisKeys.tag(value)).isEqualTo(java.util.HexFormat.of().formatHex(digest, 0, 16));
  }

  @Test
  void numbersDoNotChangeTheKeyButTheAlgorithmDoes() {
    assertThat(KEYS.stateKey(check(10, Algorithm.GCRA, "sub=alice")))
        .isEqualTo(KEYS.stateKey(check(500, Algorithm.GCRA, "sub=alice")))
        .isNotEqualTo(KEYS.stateKey(check(10, Algorithm.SLIDING_LOG, "sub=alice")));
  }

  @Test
  void rejectsAGatewayNameThatCouldForgeKeys() {
    assertThatThrownBy(() -> new RedisKeys("a:b"))
        .hasMessageStartingWith("TOLLGATE_GATEWAY_NAME=a:b: expected a DNS label");
  }
}
