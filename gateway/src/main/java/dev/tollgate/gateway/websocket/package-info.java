/**
 * WebSocket proxying. A handshake ({@code Upgrade: websocket}) runs the whole request pipeline like
 * any request (route match, authentication, rate limit: the handshake is what a limit counts);
 * {@link dev.tollgate.gateway.websocket.WebSocketProxy} (the pipeline's protocol switch) then
 * forwards it to an endpoint and, once the upstream switched protocols, a {@link
 * dev.tollgate.gateway.websocket.WebSocketTunnel} relays raw bytes both ways until either side
 * ends, an idle timeout or the maximum lifetime passes, or the gateway shuts down. Frames are not
 * parsed: the gateway carries the upstream's WebSocket as it is, extensions and subprotocols
 * included.
 */
package dev.tollgate.gateway.websocket;
