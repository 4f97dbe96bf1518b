/**
 * Client identity from a bearer JWT: settings from the environment ({@link
 * dev.tollgate.gateway.auth.JwtSettings}), verification keys from a JWKS URI or file with caching
 * and rotation ({@link dev.tollgate.gateway.auth.KeySource}), token verification against an
 * algorithm allow-list ({@link dev.tollgate.gateway.auth.JwtVerifier}) and the per-route decision
 * required / optional / none ({@link dev.tollgate.gateway.auth.BearerAuthenticator}), whose
 * failures are RFC 6750 401 problems ({@link dev.tollgate.gateway.auth.UnauthorizedException}).
 */
package dev.tollgate.gateway.auth;
