/**
 * Rate-limit policy enforcement: policies compiled per route with the configuration ({@link
 * dev.tollgate.gateway.ratelimit.PolicyCompiler} → {@link
 * dev.tollgate.gateway.ratelimit.EnforcementPlan}), limit keys ({@link
 * dev.tollgate.gateway.ratelimit.ClientKeyResolver}) and tiers ({@link
 * dev.tollgate.gateway.ratelimit.CompiledLimit}), the one decision per request with shadow and
 * failure modes ({@link dev.tollgate.gateway.ratelimit.LimitEnforcer}), the response fields ({@link
 * dev.tollgate.gateway.ratelimit.RateLimitHeaders}), the stage that ties them into the pipeline
 * ({@link dev.tollgate.gateway.ratelimit.RateLimitStage}) and the admin explain endpoint ({@link
 * dev.tollgate.gateway.ratelimit.ExplainHandler}).
 */
package dev.tollgate.gateway.ratelimit;
