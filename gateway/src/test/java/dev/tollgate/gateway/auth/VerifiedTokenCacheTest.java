package dev.tollgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {
  private static final ClientIdentity SOMEONE =
      new ClientIdentity(Map.of("sub", jakarta.json.Json.createValue("someone")));

  @Test
  void holdsAtMostItsBudgetOfTokenTextHoweverLargeTheTokens() {
    // Tokens may be as large as the header limit (16 KiB by default): a cache bounded by count
    // would hold 16 times the memory it was sized for once a client's tokens are large.
    int budgetChars = 1_000_000;
    VerifiedTokenCache cache = new VerifiedTokenCache(budgetChars, Duration.ofMinutes(1));
    Instant exp = Instant.now().plusSeconds(3600);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String token = "%05d".formatted(i) + "x".repeat(15_000);
      tokens.add(token);
      cache.put(token, SOMEONE, exp);
    }

    long retainedChars =
        tokens.stream().filter(t -> cache.get(t).isPresent()).mapToLong(String::length).sum();

    assertThat(retainedChars).isPositive().isLessThanOrEqualTo(budgetChars);
  }

  @Test
  void answersForAStoredTokenUntilItsExpiry() {
    VerifiedTokenCache cache = new VerifiedTokenCache(1_000_000, Duration.ofMinutes(1));
    cache.put("live", SOMEONE, Instant.now().plusSeconds(60));
    cache.put("expired", SOMEONE, Instant.now().minusSeconds(1));

    assertThat(cache.get("live")).contains(SOMEONE);
    assertThat(cache.get("expired")).isEmpty();
    assertThat(cache.get("other")).isEmpty();
  }
}
