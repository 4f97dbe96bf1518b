package dev.tollgate.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers tokens that passed verification, so a client sending the same token on every request
 * pays for one signature check (an RS256 verify costs more than the rest of the request's policy
 * work) rather than one per request.
 *
 * <p>An entry lives until the token's {@code exp} (without leeway) and at most {@code maxAge}: a
 * key removed from the JWKS stops admitting its cached tokens after {@code maxAge} at the latest.
 * Only tokens that verified are cached, and the key is the whole token text, signature included, so
 * an entry can never answer for a different token.
 *
 * <p>Memory is bounded by the length of the cached token text, not by a count of tokens: a token
 * may be as long as the header limit allows (16 KiB by default), and its claims, kept parsed beside
 * it, grow with it. A count sized for typical 1 KiB tokens would let a client holding many large
 * valid tokens make the cache 16 times larger than planned.
 */
final class VerifiedTokenCache {
  private record Entry(ClientIdentity identity, Instant until) {}

  private final Cache<String, Entry> verified;

  /**
   * @param maximumChars the most token text, in characters, held at once
   * @param maxAge the longest an entry lives
   */
  VerifiedTokenCache(long maximumChars, Duration maxAge) {
    this.verified =
        Caffeine.newBuilder()
            .maximumWeight(maximumChars)
            .weigher((String token, Entry entry) -> token.length())
            // evict on the writing thread: the bound holds as soon as put returns
            .executor(Runnable::run)
            .expireAfter(
                Expiry.<String, Entry>creating(
                    (token, entry) -> {
                      Duration untilExp = Duration.between(Instant.now(), entry.until());
                      return untilExp.compareTo(maxAge) < 0 ? untilExp : maxAge;
                    }))
            .build();
  }

  Optional<ClientIdentity> get(String token) {
    Entry entry = verified.getIfPresent(token);
    // Caffeine expires lazily; the exp check here makes the boundary exact
    if (entry == null || !Instant.now().isBefore(entry.until())) {
      return Optional.empty();
    }
    return Optional.of(entry.identity());
  }

  void put(String token, ClientIdentity identity, Instant expiresAt) {
    // a token accepted only thanks to the leeway is not worth remembering
    if (expiresAt.isAfter(Instant.now())) {
      verified.put(token, new Entry(identity, expiresAt));
    }
  }
}
