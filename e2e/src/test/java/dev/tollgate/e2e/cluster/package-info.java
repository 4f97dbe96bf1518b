/**
 * Tollgate installed with {@code helm install} on a real cluster: the single-node cluster built
 * from source on this machine ({@code InClusterIT}) and, where Docker runs, K3s ({@code
 * K3sInClusterIT}); one scenario for both ({@code InClusterScenario}).
 */
package dev.tollgate.e2e.cluster;
