/**
 * What the operator reads of the cluster: the informers over Routes, policies, Services,
 * EndpointSlices and the Gateway API kinds, the {@link dev.tollgate.operator.cluster.ClusterView}
 * they give and the {@link dev.tollgate.operator.cluster.ClusterChange}s they report, and how a
 * backend Service resolves to endpoints. A package of its own because the snapshot compiler, the
 * Gateway API side and the reconcilers all read the same view.
 */
package dev.tollgate.operator.cluster;
