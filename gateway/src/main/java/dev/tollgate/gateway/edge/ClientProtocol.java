package dev.tollgate.gateway.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.http2.Http2Util;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.HttpRequest;

/**
 * The protocol a client connection speaks: the one agreed by ALPN during the TLS handshake, else
 * HTTP/2 when the connection starts with the HTTP/2 connection preface (h2c with prior knowledge),
 * else HTTP/1.1 (which may still switch to h2c through {@code Upgrade}).
 */
public enum ClientProtocol {
  HTTP_1,
  HTTP_2;

  /** ALPN identifier of HTTP/2 over TLS (RFC 9113, section 3.2). */
  private static final String ALPN_H2 = "h2";

  private static final byte[] PREFACE = preface();

  /** Protocol version of an HTTP/2 request's prologue. */
  private static final String HTTP_2_VERSION = "2.0";

  /**
   * Reads (without consuming) only as many bytes as needed to tell: an HTTP/1 request differs from
   * the preface {@code PRI * HTTP/2.0...} by its second byte at the latest.
   */
  static ClientProtocol spokenOn(ConnectionContext context) {
    HelidonSocket socket = context.serverSocket();
    if (socket.protocolNegotiated()) {
      return ALPN_H2.equals(socket.protocol()) ? HTTP_2 : HTTP_1;
    }
    DataReader reader = context.dataReader();
    try {
      int checked = 0;
      while (checked < PREFACE.length) {
        int wanted = Math.min(PREFACE.length, Math.max(checked + 1, reader.available()));
        BufferData seen = reader.getBuffer(wanted);
        for (int i = 0; i < wanted; i++) {
          if ((byte) seen.read() != PREFACE[i]) {
            return HTTP_1;
          }
        }
        checked = wanted;
      }
      return HTTP_2;
    } catch (DataReader.InsufficientDataAvailableException e) {
      throw new CloseConnectionException("connection closed before its first request", e);
    }
  }

  /** The protocol a request arrived with. */
  public static ClientProtocol of(HttpRequest request) {
    return HTTP_2_VERSION.equals(request.prologue().protocolVersion()) ? HTTP_2 : HTTP_1;
  }

  private static byte[] preface() {
    BufferData data = Http2Util.prefaceData();
    byte[] bytes = new byte[data.available()];
    data.read(bytes);
    return bytes;
  }
}
