/**
 * The per-request pipeline of the public socket: {@link
 * dev.tollgate.gateway.pipeline.GatewayHandler} reads the configuration once, runs {@link
 * dev.tollgate.gateway.pipeline.RequestStage}s over a {@link
 * dev.tollgate.gateway.pipeline.GatewayExchange} and proxies.
 */
package dev.tollgate.gateway.pipeline;
