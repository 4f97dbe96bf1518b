package dev.tollgate.gateway.edge;

import io.helidon.webserver.http2.Http2Config;

/**
 * What one HTTP/2 client connection may ask of the gateway, on top of {@link ClientLimits} (which
 * hold for HTTP/2 connections too). See docs/gateway.md.
 *
 * @param maxConcurrentStreams streams a connection may have open at once (advertised in {@code
 *     SETTINGS_MAX_CONCURRENT_STREAMS}); a client opening more loses the connection ({@code GOAWAY
 *     REFUSED_STREAM}). Each open stream is one request in flight, so this also caps what one
 *     connection takes of {@code TOLLGATE_MAX_REQUESTS_IN_FLIGHT}
 * @param initialWindowSize bytes of request body a client may send on one stream before the gateway
 *     has passed them on (the stream's flow-control window); also the connection's window
 * @param maxRapidResets streams a connection may cancel ({@code RST_STREAM}) before the gateway
 *     answered them; one more and the connection is closed with {@code GOAWAY ENHANCE_YOUR_CALM}
 *     (the "rapid reset" attack, CVE-2023-44487)
 */
public record Http2Limits(int maxConcurrentStreams, int initialWindowSize, int maxRapidResets) {

  /** The smallest window HTTP/2 knows (RFC 9113, 6.9.2); the protocol's largest is 2^31-1. */
  private static final int MIN_WINDOW = 65_535;

  /**
   * Frames larger than the protocol's minimum bring nothing a gateway needs and would let each
   * connection make the gateway buffer up to 16 MiB per frame.
   */
  private static final int MAX_FRAME_SIZE = 16_384;

  /**
   * Zero-length DATA or HEADERS frames in a row before the connection is closed (Helidon's default;
   * a flood of them costs the server work and the client nothing).
   */
  private static final int MAX_EMPTY_FRAMES = 10;

  public Http2Limits {
    if (maxConcurrentStreams < 1) {
      throw new IllegalArgumentException(
          "TOLLGATE_H2_MAX_CONCURRENT_STREAMS must be > 0, was " + maxConcurrentStreams);
    }
    if (initialWindowSize < MIN_WINDOW) {
      throw new IllegalArgumentException(
          "TOLLGATE_H2_INITIAL_WINDOW_SIZE must be at least "
              + MIN_WINDOW
              + ", was "
              + initialWindowSize);
    }
    if (maxRapidResets < 1) {
      throw new IllegalArgumentException(
          "TOLLGATE_H2_MAX_RAPID_RESETS must be > 0, was " + maxRapidResets);
    }
  }

  /**
   * Helidon's HTTP/2 settings for these limits.
   *
   * @param maxHeaderListSize largest header list (RFC 9113 6.5.2: names, values and 32 bytes per
   *     field, uncompressed), the HTTP/2 side of {@code TOLLGATE_MAX_HEADER_SIZE}
   */
  public Http2Config config(int maxHeaderListSize) {
    return Http2Config.builder()
        .maxConcurrentStreams(maxConcurrentStreams)
        .initialWindowSize(initialWindowSize)
        .maxFrameSize(MAX_FRAME_SIZE)
        .maxHeaderListSize(maxHeaderListSize)
        .maxRapidResets(maxRapidResets)
        .maxEmptyFrames(MAX_EMPTY_FRAMES)
        // Helidon's check of :path throws where its HTTP/2 stream handler does not catch it, and
        // the whole connection ends (GOAWAY INTERNAL_ERROR, last stream 0): behind a front proxy
        // that multiplexes many clients over one connection, one client's path would cut off
        // everyone's requests, some already sent upstream and then retried. The gateway's own
        // checks judge the path per request instead: the normalizer (400 bad-request-target) and
        // the upstream request writer (400 for what a request line cannot carry).
        .validatePath(false)
        .sendErrorDetails(false)
        .build();
  }
}
