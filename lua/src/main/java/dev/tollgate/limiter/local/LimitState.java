package dev.tollgate.limiter.local;

/** The stored state of one limit for one key; what the Lua script keeps in the key's hash/zset. */
sealed interface LimitState
    permits TokenBucket.State,
        Gcra.State,
        FixedWindow.State,
        SlidingWindow.State,
        SlidingLog.State {}
