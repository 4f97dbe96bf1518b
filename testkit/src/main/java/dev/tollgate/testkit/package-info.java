/**
 * Test fixtures that start the real parts Tollgate talks to: {@code redis-server} processes
 * (standalone and cluster) and a kube-apiserver with etcd. Every fixture binds to loopback on free
 * ports, works in a temp directory and removes it when stopped.
 */
package dev.tollgate.testkit;
