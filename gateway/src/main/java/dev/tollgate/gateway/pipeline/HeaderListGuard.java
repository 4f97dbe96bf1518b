package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.edge.ClientProtocol;
import dev.tollgate.gateway.problem.GatewayProblems.HeaderListTooLarge;
import io.helidon.http.Header;

/**
 * Refuses an HTTP/2 request whose header list, uncompressed, is larger than {@code
 * TOLLGATE_MAX_HEADER_SIZE}, counted as RFC 9113 (6.5.2) counts it: name and value bytes plus 32
 * per field. Helidon bounds only the compressed header block, and HPACK lets a 16 KiB block stand
 * for megabytes (a 4 KiB field put in the dynamic table once, then named by one byte per
 * repetition), which the gateway would otherwise copy into the upstream request. HTTP/1 requests
 * need no such check: their header block is bounded as sent, before parsing.
 */
final class HeaderListGuard implements RequestStage {
  /** Per-field overhead the header list size adds (RFC 9113 6.5.2, RFC 7541 4.1). */
  private static final int FIELD_OVERHEAD = 32;

  private final long maxHeaderListSize;

  HeaderListGuard(long maxHeaderListSize) {
    this.maxHeaderListSize = maxHeaderListSize;
  }

  @Override
  public void apply(GatewayExchange exchange) {
    if (ClientProtocol.of(exchange.request()) != ClientProtocol.HTTP_2) {
      return;
    }
    long size = 0;
    for (Header header : exchange.request().headers()) {
      long nameAndOverhead = header.headerName().lowerCase().length() + FIELD_OVERHEAD;
      for (String value : header.allValues()) {
        size += nameAndOverhead + value.length();
      }
      if (size > maxHeaderListSize) {
        throw new HeaderListTooLarge();
      }
    }
  }
}
