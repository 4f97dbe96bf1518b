package dev.tollgate.gateway.ratelimit;

import dev.tollgate.limiter.LimitCheck;

/** A limit and the check it makes for the current request (its tier's numbers and key value). */
public record PlannedCheck(CompiledLimit limit, LimitCheck check) {}
