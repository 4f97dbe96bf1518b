package dev.tollgate.gateway.grpc;

import io.grpc.Metadata;
import io.helidon.http.Header;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import java.util.Base64;
import java.util.Set;

/**
 * Converts between HTTP/2 header fields and grpc-java {@link Metadata}. Binary ({@code -bin})
 * values travel base64-encoded on the wire and as bytes in {@link Metadata}. Fields the gRPC
 * transport owns are not copied: it writes them itself from the call (content type, deadline,
 * message encoding, user agent), and the gateway re-frames messages uncompressed, so relaying the
 * peer's encoding fields would announce a compression that is no longer applied.
 */
final class GrpcMetadata {
  private static final Set<String> TRANSPORT_OWNED =
      Set.of(
          "content-type",
          "content-length",
          "te",
          "host",
          "user-agent",
          "grpc-timeout",
          "grpc-encoding",
          "grpc-accept-encoding",
          "grpc-status",
          "grpc-message");

  private GrpcMetadata() {}

  /** The request metadata for the upstream; names Metadata refuses are left out. */
  static Metadata toUpstream(Headers headers) {
    Metadata metadata = new Metadata();
    for (Header header : headers) {
      String name = header.headerName().lowerCase();
      if (name.startsWith(":") || TRANSPORT_OWNED.contains(name)) {
        continue;
      }
      try {
        for (String value : header.allValues()) {
          if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
            metadata.put(
                Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER),
                Base64.getDecoder().decode(value.trim()));
          } else {
            metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
          }
        }
      } catch (IllegalArgumentException e) {
        // not a legal metadata name (upper case is already folded) or not base64: not relayable
      }
    }
    return metadata;
  }

  /** Copies the upstream's headers or trailers onto the client's response. */
  static void toClient(Metadata metadata, WritableHeaders<?> target) {
    for (String name : metadata.keys()) {
      if (TRANSPORT_OWNED.contains(name)) {
        continue;
      }
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        Iterable<byte[]> values =
            metadata.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER));
        if (values != null) {
          for (byte[] value : values) {
            target.add(
                HeaderValues.create(
                    name, Base64.getEncoder().withoutPadding().encodeToString(value)));
          }
        }
      } else {
        Iterable<String> values =
            metadata.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        if (values != null) {
          for (String value : values) {
            target.add(HeaderValues.create(name, value));
          }
        }
      }
    }
  }
}
