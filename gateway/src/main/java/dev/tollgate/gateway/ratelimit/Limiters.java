package dev.tollgate.gateway.ratelimit;

import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.OverLimitCache;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.local.LocalRateLimiter;
import dev.tollgate.limiter.redis.RedisLimiterFactory;
import dev.tollgate.limiter.redis.RedisLimiterOptions;
import dev.tollgate.redis.RedisTarget;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.IntSupplier;

/**
 * The limiter engines one gateway uses.
 *
 * <ul>
 *   <li>{@link #decider()}: what requests are decided by. With {@code TOLLGATE_REDIS_URL}, the
 *       Redis engine behind the over-limit cache (a flood from a limited client is answered locally
 *       until its retry time); without it, the in-process engine (single node).
 *   <li>{@link #peeker()}: the same backend without the cache, for explain, which must read the
 *       real state and never be answered from (or fill) the cache.
 *   <li>{@link #localShare(LimitCheck)}: the in-process twin used by {@code failureMode: local},
 *       each limit divided by the number of gateways sharing it: the live gateways last counted in
 *       Redis, never fewer than {@code TOLLGATE_LIMITER_REPLICAS} (the chart: the HPA minimum).
 * </ul>
 */
public final class Limiters implements AutoCloseable {
  private static final Duration CONNECT_RETRY = Duration.ofSeconds(2);

  private final RateLimiter decider;
  private final RateLimiter peeker;
  private final LocalRateLimiter fallback;
  private final int minReplicas;
  private final IntSupplier liveGateways;
  private final boolean distributed;

  private Limiters(
      RateLimiter decider,
      RateLimiter peeker,
      LocalRateLimiter fallback,
      int minReplicas,
      IntSupplier liveGateways,
      boolean distributed) {
    this.decider = decider;
    this.peeker = peeker;
    this.fallback = fallback;
    this.minReplicas = minReplicas;
    this.liveGateways = liveGateways;
    this.distributed = distributed;
  }

  /**
   * @param liveGateways the gateways of this instance last counted in Redis (0 = not known)
   */
  public static Limiters create(LimiterSettings settings, IntSupplier liveGateways) {
    LocalRateLimiter fallback = new LocalRateLimiter();
    if (settings.redis().isEmpty()) {
      LocalRateLimiter local = new LocalRateLimiter();
      return new Limiters(local, local, fallback, settings.replicas(), liveGateways, false);
    }
    RedisLimiterOptions options =
        RedisLimiterOptions.defaults(settings.redis().get().gatewayName())
            .withDecisionBudget(settings.timeout());
    // The engine is built without its own cache (0 bytes) so that explain can reach Redis
    // directly; requests go through the cache added here, with the budget the options give it.
    RedisLimiterOptions uncached = options.withOverLimitCacheBytes(0);
    RedisTarget target = settings.redis().get().target();
    RateLimiter redis =
        new ReconnectingLimiter(() -> RedisLimiterFactory.create(target, uncached), CONNECT_RETRY);
    return new Limiters(
        new OverLimitCache(redis, InstantSource.system(), options.overLimitCacheBytes()),
        redis,
        fallback,
        settings.replicas(),
        liveGateways,
        true);
  }

  public RateLimiter decider() {
    return decider;
  }

  public RateLimiter peeker() {
    return peeker;
  }

  public LocalRateLimiter fallback() {
    return fallback;
  }

  /** True when decisions go to Redis (and can fail over). */
  public boolean distributed() {
    return distributed;
  }

  /**
   * The check with this pod's share of the limit ({@link LimitDefinition#perReplica}): divided by
   * {@link #sharers()}, but never so finely that the share holds less than one request's cost (see
   * {@link #divisor}).
   */
  public LimitCheck localShare(LimitCheck check) {
    int divisor = divisor(check);
    if (divisor == 1) {
      return check;
    }
    LimitDefinition share = check.limit().perReplica(divisor);
    if (share.capacity() < check.cost()) {
      // perReplica may lower a bucket's burst to what refills within 366 days; at that edge the
      // pod keeps the whole limit rather than refusing every request
      return check;
    }
    return new LimitCheck(share, check.keyValue(), check.cost());
  }

  /**
   * What a limit is divided by for one check: {@link #sharers()}, at most the number of requests of
   * its cost the capacity holds. A share below the cost (a quarter of a burst of 20, with cost 10)
   * refused every request of the limit for as long as Redis was away, whatever Retry-After said; so
   * each pod admits at least one request, as the rounding up of a share already lets it.
   */
  private int divisor(LimitCheck check) {
    long requestsThatFit = check.limit().capacity() / check.cost();
    return (int) Math.max(1, Math.min(sharers(), requestsThatFit));
  }

  /**
   * How many gateways share a limit under {@code failureMode: local}: the live gateways last
   * counted in Redis, at least {@code TOLLGATE_LIMITER_REPLICAS}. The floor covers a count not yet
   * read; the count covers an HPA that scaled out past its minimum, which the floor alone let admit
   * up to max/min times the limit.
   */
  int sharers() {
    return Math.max(minReplicas, liveGateways.getAsInt());
  }

  @Override
  public void close() {
    // the decider owns the peeker (the cache closes its delegate; in-process they are one)
    decider.close();
    fallback.close();
  }
}
