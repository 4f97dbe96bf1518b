/**
 * The operator's Redis connection (standalone, sentinel or cluster); key names come from {@link
 * dev.tollgate.api.snapshot.ConfigKeys}.
 */
package dev.tollgate.operator.redis;
