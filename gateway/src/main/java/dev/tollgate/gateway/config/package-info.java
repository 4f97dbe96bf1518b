/**
 * Configuration: sources (directory, Redis snapshot), validation and compilation into the immutable
 * {@link dev.tollgate.gateway.config.GatewayConfig} served by {@link
 * dev.tollgate.gateway.config.ActiveConfig}.
 */
package dev.tollgate.gateway.config;
