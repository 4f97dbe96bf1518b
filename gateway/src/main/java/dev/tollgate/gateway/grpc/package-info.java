/**
 * gRPC through the gateway: calls ({@code content-type: application/grpc*}) on a route whose
 * upstream speaks HTTP/2 are relayed message by message over grpc-java channels, with metadata,
 * trailers and deadlines; problems the gateway answers itself become {@code grpc-status} answers.
 */
package dev.tollgate.gateway.grpc;
