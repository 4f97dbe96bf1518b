/**
 * What a client may cost the gateway at the connection level: how many connections and requests it
 * may hold ({@link dev.tollgate.gateway.edge.ClientLimits}), how long a request head, a body and an
 * idle keep-alive connection may take, and which header names it may send. Enforced below the
 * request pipeline, on Helidon's HTTP/1 and HTTP/2 connections ({@link
 * dev.tollgate.gateway.edge.ClientConnections}).
 */
package dev.tollgate.gateway.edge;
