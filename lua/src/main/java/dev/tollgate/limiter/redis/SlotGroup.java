package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitCheck;
import java.util.List;

/**
 * The limits of one request that live in one cluster slot, decided by one script call.
 *
 * @param indexes where each check stands in the request, to put outcomes back in order
 */
record SlotGroup(List<Integer> indexes, List<LimitCheck> checks, String[] keys) {}
