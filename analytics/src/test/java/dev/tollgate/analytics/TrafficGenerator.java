package dev.tollgate.analytics;

import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.api.access.AccessRecord.LimitDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random access records: a few routes and paths, statuses with some 5xx, a per-client limit
 * that refuses some clients often, times spread over the given stretch. Print the seed on failure.
 */
public final class TrafficGenerator {
  private static final String[] ROUTES = {"shop/orders", "shop/cart", "pay/checkout", ""};
  private static final String[] PATHS = {"/orders/{id}", "/orders", "/cart", "/pay", "/"};

  private TrafficGenerator() {}

  public static List<AccessRecord> records(long seed, int count, long fromMillis, long toMillis) {
    Random random = new Random(seed);
    List<AccessRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String route = ROUTES[random.nextInt(ROUTES.length)];
      // clients 0..39, the low numbers far more often: a clear top-K of limited clients
      int client = (int) Math.floor(Math.pow(random.nextDouble(), 3) * 40);
      boolean limited = !route.isEmpty() && random.nextInt(100) < 60 - client;
      int status = route.isEmpty() ? 404 : limited ? 429 : random.nextInt(20) == 0 ? 503 : 200;
      List<LimitDecision> limits =
          route.isEmpty()
              ? List.of()
              : List.of(
                  new LimitDecision(
                      "shop/per-client",
                      limited ? "burst" : "steady",
                      limited ? "limited" : "allowed",
                      limited ? 0 : 5),
                  new LimitDecision("shop/shadow", "all", "shadow_limited", 0));
      records.add(
          new AccessRecord(
              fromMillis + (long) (random.nextDouble() * (toMillis - fromMillis)),
              "req-" + i,
              "",
              route,
              "GET",
              PATHS[random.nextInt(PATHS.length)],
              status,
              2,
              200 + random.nextInt(50_000),
              limited ? "" : "http://127.0.0.1:9",
              limited ? -1 : 150,
              "10.1.0." + client,
              limits));
    }
    return records;
  }
}
