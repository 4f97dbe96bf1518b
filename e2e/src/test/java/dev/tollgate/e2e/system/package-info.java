/**
 * The assembled system: a real kube-apiserver + etcd driven with the real {@code kubectl}, the
 * operator (in-process), a real Redis, two gateways run from their jar, and a real upstream. Tests
 * apply resources and observe only what a user could: HTTP answers, resource status, timings. The
 * propagation benchmark also watches the API server and the Redis channel, to break its timings
 * down.
 */
package dev.tollgate.e2e.system;
