/**
 * The per-request pipeline of the public socket: {@link
 * dev.tollgate.gateway.pipeline.GatewayHandler} reads the configuration once, runs {@link
 * dev.tollgate.gateway.pipeline.RequestStage}s over a {@link
 * dev.tollgate.gateway.pipeline.GatewayExchange} and hands the request on through the interfaces
 * this package owns: a {@link dev.tollgate.gateway.pipeline.Forwarder} proxies it, a {@link
 * dev.tollgate.gateway.pipeline.ProtocolSwitch} takes a WebSocket handshake's connection over. The
 * packages behind them read the exchange; this one depends on none of them.
 */
package dev.tollgate.gateway.pipeline;
