/**
 * A real single-node Kubernetes cluster for tests ({@code tools/cluster.sh}): etcd, kube-apiserver,
 * controller manager, scheduler, kubelet, kube-proxy, containerd, CoreDNS and metrics-server, in a
 * network namespace and cgroup of its own, removed again when the test ends or its JVM dies.
 */
package dev.tollgate.testkit.cluster;
