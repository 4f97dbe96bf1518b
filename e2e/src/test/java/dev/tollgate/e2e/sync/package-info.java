/**
 * Config propagation end to end: {@code kubectl apply} against a real API server, the operator
 * in-process, the snapshot in a real Redis, and what a gateway sees of it. The benchmark measures
 * how long a changed limit takes to arrive.
 */
package dev.tollgate.e2e.sync;
