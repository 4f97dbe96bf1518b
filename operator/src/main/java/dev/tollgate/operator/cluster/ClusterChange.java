package dev.tollgate.operator.cluster;

/**
 * What an informer saw change, as far as the snapshot is concerned: one Route, one policy, one
 * HTTPRoute, the Service (and its EndpointSlices) of a name, whose Routes and HTTPRoutes then
 * resolve anew, or something every HTTPRoute's attachment depends on.
 *
 * @param kind what changed
 * @param namespace its namespace
 * @param name the Route's, the policy's or the Service's name
 */
public record ClusterChange(Kind kind, String namespace, String name) {
  /** The kinds of change. */
  public enum Kind {
    ROUTE,
    POLICY,
    SERVICE,
    /** One HTTPRoute. */
    HTTP_ROUTE,
    /**
     * A GatewayClass, Gateway, ReferenceGrant or Namespace (its labels select routes): every
     * HTTPRoute resolves anew.
     */
    GATEWAY_API,
    /**
     * A {@code kubernetes.io/tls} Secret an HTTPS listener may refer to: no entry of the snapshot
     * depends on it, only the listener certificate bundle and the Gateways' status.
     */
    LISTENER_CERTIFICATE
  }
}
