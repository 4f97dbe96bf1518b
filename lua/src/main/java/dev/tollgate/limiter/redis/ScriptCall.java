package dev.tollgate.limiter.redis;

/**
 * One request's call of decide.lua for the limits of one slot group; several travel in one batch.
 *
 * @param operation {@link DecideCodec#CONSUME} or {@link DecideCodec#REFUND}
 * @param nonce unique per request; a refund repeats its consume's nonce
 */
record ScriptCall(SlotGroup group, String operation, String nonce) {}
