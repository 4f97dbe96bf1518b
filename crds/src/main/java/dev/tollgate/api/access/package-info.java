/**
 * The access stream shared by gateways (writers) and the analytics service (reader): its Redis key
 * names ({@link dev.tollgate.api.access.AccessStreamKeys}) and the record each request leaves in it
 * ({@link dev.tollgate.api.access.AccessRecord}), spelled once here for both sides.
 */
package dev.tollgate.api.access;
