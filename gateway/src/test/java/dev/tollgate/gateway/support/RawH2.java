package dev.tollgate.gateway.support;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.http2.Http2FrameData;
import io.helidon.http.http2.Http2FrameHeader;
import io.helidon.http.http2.Http2Headers;
import io.helidon.http.http2.Http2HuffmanDecoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP/2 client that writes frames exactly as told (h2c with prior knowledge), for the hostile
 * cases real clients refuse to produce: streams reset as soon as they are opened, more streams than
 * the server allows, oversized header lists. Request headers are encoded by hand as HPACK literals
 * (never indexed, no Huffman), so nothing here shares code with the server's encoder; response
 * headers are decoded with Helidon's HPACK decoder.
 */
public final class RawH2 implements AutoCloseable {
  public static final int DATA = 0x0;
  public static final int HEADERS = 0x1;
  public static final int RST_STREAM = 0x3;
  public static final int SETTINGS = 0x4;
  public static final int PING = 0x6;
  public static final int GOAWAY = 0x7;
  public static final int WINDOW_UPDATE = 0x8;
  public static final int CONTINUATION = 0x9;

  public static final int FLAG_END_STREAM = 0x1;
  public static final int FLAG_ACK = 0x1;
  public static final int FLAG_END_HEADERS = 0x4;

  /** RFC 9113 error codes used by the tests. */
  public static final int CANCEL = 0x8;

  public static final int PROTOCOL_ERROR = 0x1;
  public static final int REFUSED_STREAM = 0x7;
  public static final int ENHANCE_YOUR_CALM = 0xb;

  /** SETTINGS_INITIAL_WINDOW_SIZE (RFC 9113 6.5.2). */
  public static final int INITIAL_WINDOW_SIZE = 0x4;

  /** The largest flow-control window a peer may grant (RFC 9113 6.9.1). */
  public static final int MAX_WINDOW = 0x7fffffff;

  /** Every window's size before any SETTINGS or WINDOW_UPDATE (RFC 9113 6.9.2). */
  public static final int DEFAULT_WINDOW = 65_535;

  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One frame as read off the wire. */
  public record Frame(int type, int flags, int streamId, byte[] payload) {
    /** The error code of a GOAWAY or RST_STREAM frame. */
    public int errorCode() {
      ByteBuffer buffer = ByteBuffer.wrap(payload);
      return type == GOAWAY ? buffer.getInt(4) : buffer.getInt(0);
    }

    public boolean endStream() {
      return (flags & FLAG_END_STREAM) != 0 && (type == DATA || type == HEADERS);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final Http2Headers.DynamicTable responseTable = Http2Headers.DynamicTable.create(4096);
  private final Http2HuffmanDecoder huffman = Http2HuffmanDecoder.create();

  private RawH2(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /**
   * Connects, sends the preface and empty SETTINGS; frames the server sends are read by callers.
   */
  public static RawH2 connect(int port) {
    return open(port, null);
  }

  /**
   * Connects with an HTTP/1.1 GET of {@code target} asking to switch to h2c, and after the server's
   * 101 sends the preface and SETTINGS; the GET's response comes on stream 1.
   */
  public static RawH2 upgrade(int port, String target) {
    return open(port, target);
  }

  /**
   * Speaks HTTP/2 with prior knowledge on a socket connected elsewhere (one with socket options set
   * before connecting, or a TLS socket that agreed on {@code h2}): sends the preface and empty
   * SETTINGS.
   */
  public static RawH2 over(Socket socket) {
    try {
      RawH2 h2 = new RawH2(socket);
      h2.preface();
      return h2;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RawH2 open(int port, String upgradeTarget) {
    try {
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(10_000);
      RawH2 h2 = new RawH2(socket);
      if (upgradeTarget != null) {
        h2.switchProtocols(upgradeTarget);
      }
      h2.preface();
      return h2;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void preface() throws IOException {
    out.write(PREFACE);
    frame(SETTINGS, 0, 0, new byte[0]);
  }

  private void switchProtocols(String target) throws IOException {
    // HTTP2-Settings: SETTINGS_ENABLE_PUSH = 0, base64url
    out.write(
        ("GET "
                + target
                + " HTTP/1.1\r\nHost: test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAIAAAAA\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed before the 101: " + head);
      }
      head.write(b);
    }
    if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
      throw new AssertionError("no switch to h2c: " + head);
    }
  }

  /** HEADERS for a request (with END_HEADERS), pseudo-headers first. */
  public void request(
      int streamId, String method, String path, Map<String, String> headers, boolean endStream) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    pseudoHeaders(block, method, path);
    headers.forEach((name, value) -> literal(block, name, value));
    headers(streamId, block.toByteArray(), endStream, true);
  }

  public void headers(int streamId, byte[] block, boolean endStream, boolean endHeaders) {
    int flags = (endStream ? FLAG_END_STREAM : 0) | (endHeaders ? FLAG_END_HEADERS : 0);
    frame(HEADERS, flags, streamId, block);
  }

  public void continuation(int streamId, byte[] block, boolean endHeaders) {
    frame(CONTINUATION, endHeaders ? FLAG_END_HEADERS : 0, streamId, block);
  }

  public void data(int streamId, byte[] bytes, boolean endStream) {
    frame(DATA, endStream ? FLAG_END_STREAM : 0, streamId, bytes);
  }

  /** One SETTINGS parameter (RFC 9113 6.5.1). */
  public void setting(int identifier, int value) {
    frame(
        SETTINGS, 0, 0, ByteBuffer.allocate(6).putShort((short) identifier).putInt(value).array());
  }

  /** Grants {@code increment} more bytes on {@code streamId}, or on the connection with 0. */
  public void windowUpdate(int streamId, int increment) {
    frame(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
  }

  public void reset(int streamId, int errorCode) {
    frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
  }

  /**
   * The four request pseudo-header fields, each as a literal without indexing whose name is an
   * index into the static table (RFC 7541 6.2.2, appendix A): Helidon refuses pseudo-header names
   * sent as literals.
   */
  public static void pseudoHeaders(ByteArrayOutputStream block, String method, String path) {
    indexedName(block, 2, method);
    indexedName(block, 6, "http");
    indexedName(block, 1, "test");
    indexedName(block, 4, path);
  }

  private static void indexedName(ByteArrayOutputStream block, int staticIndex, String value) {
    block.write(staticIndex); // 0000 + 4-bit index, all static indexes used here are < 15
    string(block, value.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** One header field as an HPACK literal without indexing, new name (RFC 7541 6.2.2). */
  public static void literal(ByteArrayOutputStream block, String name, String value) {
    block.write(0x00);
    string(block, name.getBytes(StandardCharsets.ISO_8859_1));
    string(block, value.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static void string(ByteArrayOutputStream block, byte[] bytes) {
    // 7-bit prefix integer, no Huffman (RFC 7541 5.1, 5.2)
    int length = bytes.length;
    if (length < 127) {
      block.write(length);
    } else {
      block.write(127);
      length -= 127;
      while (length >= 128) {
        block.write((length & 0x7f) | 0x80);
        length >>>= 7;
      }
      block.write(length);
    }
    block.writeBytes(bytes);
  }

  public void frame(int type, int flags, int streamId, byte[] payload) {
    try {
      byte[] head = new byte[9];
      head[0] = (byte) (payload.length >>> 16);
      head[1] = (byte) (payload.length >>> 8);
      head[2] = (byte) payload.length;
      head[3] = (byte) type;
      head[4] = (byte) flags;
      ByteBuffer.wrap(head, 5, 4).putInt(streamId & 0x7fffffff);
      out.write(head);
      out.write(payload);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next frame, or null once the server closed the connection (or reset it). */
  public Frame read() {
    try {
      byte[] head = new byte[9];
      in.readFully(head);
      int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
      int streamId = ByteBuffer.wrap(head, 5, 4).getInt() & 0x7fffffff;
      byte[] payload = new byte[length];
      in.readFully(payload);
      Frame frame = new Frame(head[3] & 0xff, head[4] & 0xff, streamId, payload);
      if (frame.type() == SETTINGS && (frame.flags() & FLAG_ACK) == 0) {
        try {
          frame(SETTINGS, FLAG_ACK, 0, new byte[0]);
        } catch (UncheckedIOException closing) {
          // the server may already be closing; its remaining frames are still worth reading
        }
      }
      return frame;
    } catch (EOFException | SocketException e) {
      return null;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame from the server within the socket timeout", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads frames until one of {@code type} arrives; null if the connection closes first. */
  public Frame await(int type) {
    for (Frame frame = read(); frame != null; frame = read()) {
      if (frame.type() == type) {
        return frame;
      }
      decodeIfHeaders(frame);
    }
    return null;
  }

  /** Reads until the server closes the connection; true if it did within the socket timeout. */
  public boolean awaitClosed() {
    try {
      while (read() != null) {
        // drain
      }
      return true;
    } catch (AssertionError timeout) {
      return false;
    }
  }

  /**
   * The response status of {@code streamId}: reads frames until its HEADERS arrive (decoding every
   * header block on the way, which HPACK requires), or -1 if the stream is reset or the connection
   * ends first.
   */
  public int awaitStatus(int streamId) {
    for (Frame frame = read(); frame != null; frame = read()) {
      Http2Headers headers = decodeIfHeaders(frame);
      if (frame.streamId() == streamId) {
        if (headers != null) {
          return headers.status().code();
        }
        if (frame.type() == RST_STREAM) {
          return -1;
        }
      }
      if (frame.type() == GOAWAY) {
        return -1;
      }
    }
    return -1;
  }

  private Http2Headers decodeIfHeaders(Frame frame) {
    if (frame.type() != HEADERS) {
      return null;
    }
    Http2FrameHeader header = Http2FrameHeader.create(BufferData.create(headBytes(frame)));
    return Http2Headers.create(
        null,
        responseTable,
        huffman,
        new Http2FrameData(header, BufferData.create(frame.payload())));
  }

  private static byte[] headBytes(Frame frame) {
    byte[] head = new byte[9];
    int length = frame.payload().length;
    head[0] = (byte) (length >>> 16);
    head[1] = (byte) (length >>> 8);
    head[2] = (byte) length;
    head[3] = (byte) frame.type();
    head[4] = (byte) frame.flags();
    ByteBuffer.wrap(head, 5, 4).putInt(frame.streamId());
    return head;
  }

  /** SETTINGS values the server sent first, by identifier. */
  public Map<Integer, Long> serverSettings() {
    Frame frame = await(SETTINGS);
    if (frame == null) {
      throw new AssertionError("connection closed before the server's SETTINGS");
    }
    ByteBuffer payload = ByteBuffer.wrap(frame.payload());
    java.util.Map<Integer, Long> settings = new java.util.HashMap<>();
    while (payload.remaining() >= 6) {
      settings.put(payload.getShort() & 0xffff, payload.getInt() & 0xffffffffL);
    }
    return settings;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
