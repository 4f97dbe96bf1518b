/** A real kube-apiserver with etcd (fabric8 kube-api-test) and the real kubectl, for tests. */
package dev.tollgate.testkit.kube;
