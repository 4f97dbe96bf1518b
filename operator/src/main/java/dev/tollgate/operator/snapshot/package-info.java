/**
 * The many-to-one part: informers over Routes, policies, Services and EndpointSlices; the compiler
 * that turns them into one deterministic snapshot; the debounced, fenced writer; and the
 * bookkeeping of which version holds which resource.
 */
package dev.tollgate.operator.snapshot;
