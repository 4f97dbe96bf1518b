package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitCheck;
import java.util.List;

/**
 * The limits of one request that live in one cluster slot, decided by one script call.
 *
 * @param slot the cluster slot of the keys (0 on a single Redis); calls of one slot can share a
 *     batch
 * @param indexes where each check stands in the request, to put outcomes back in order
 */
record SlotGroup(int slot, List<Integer> indexes, List<LimitCheck> checks, String[] keys) {}
