/**
 * The Gateway API side of the operator: which HTTPRoutes attach to the Gateways of Tollgate's
 * GatewayClass and what they resolve to ({@link
 * dev.tollgate.operator.gatewayapi.HttpRouteResolver}, used by the snapshot compiler), the
 * certificates of their HTTPS listeners and the bundle Secret the gateway pods mount ({@link
 * dev.tollgate.operator.gatewayapi.ListenerCertificates}, {@link
 * dev.tollgate.operator.gatewayapi.CertificateBundleWriter}), and the status of GatewayClasses,
 * Gateways and HTTPRoutes as the specification defines it ({@link
 * dev.tollgate.operator.gatewayapi.GatewayApiStatusWriter}, which runs one package-private writer
 * per kind).
 */
package dev.tollgate.operator.gatewayapi;
