package dev.tollgate.gateway.grpc;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Messages as opaque bytes: the gateway routes on the method name and never parses a message, so it
 * needs no service's schema.
 */
final class RawMessages implements MethodDescriptor.Marshaller<byte[]> {
  static final RawMessages INSTANCE = new RawMessages();

  private RawMessages() {}

  @Override
  public InputStream stream(byte[] value) {
    return new ByteArrayInputStream(value);
  }

  @Override
  public byte[] parse(InputStream stream) {
    try (stream) {
      // grpc-java has already checked the size against maxInboundMessageSize
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A descriptor for {@code /package.Service/Method}; UNKNOWN type, since the gateway cannot know
   * whether either side streams (the relay handles all four kinds alike).
   */
  static MethodDescriptor<byte[], byte[]> method(String fullMethodName) {
    return MethodDescriptor.newBuilder(INSTANCE, INSTANCE)
        .setType(MethodDescriptor.MethodType.UNKNOWN)
        .setFullMethodName(fullMethodName)
        .build();
  }
}
