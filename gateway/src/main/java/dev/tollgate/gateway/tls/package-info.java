/**
 * TLS termination on the HTTPS listener: certificates read from PEM directories (the layout of a
 * mounted {@code kubernetes.io/tls} Secret) and from a bundle directory whose pairs come and go
 * (the certificates of Gateway API listeners), reloaded when they change ({@link
 * dev.tollgate.gateway.tls.CertificateStore}), picked per handshake by the requested server name
 * ({@link dev.tollgate.gateway.tls.SniKeyManager}), a handshake deadline ({@link
 * dev.tollgate.gateway.tls.HandshakeGuard}), optional client-certificate verification, and the
 * plain listener's redirect to HTTPS ({@link dev.tollgate.gateway.tls.HttpsRedirect}).
 */
package dev.tollgate.gateway.tls;
