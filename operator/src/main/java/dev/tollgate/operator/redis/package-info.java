/** The operator's Redis connection and the one place that spells the contract's key names. */
package dev.tollgate.operator.redis;
