/**
 * The config snapshot the operator writes to Redis and every gateway reads: all Routes (with their
 * resolved endpoints) and RateLimitPolicies for one gateway instance, under one version.
 */
package dev.tollgate.api.snapshot;
