package dev.tollgate.gateway.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawH2;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 clients send each cookie as a field of its own (RFC 9113 8.2.3, for better compression);
 * the upstream, spoken to in HTTP/1.1, gets them as one {@code Cookie} line joined by {@code "; "},
 * the one line HTTP/1.1 servers read (RFC 6265 5.4).
 */
class Http2CookieIT {
  @Test
  void cookieFieldsReachTheUpstreamAsOneLine() throws Exception {
    LinkedBlockingQueue<String> heads = new LinkedBlockingQueue<>();
    try (RawUpstream upstream =
            RawUpstream.recording(heads, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        GatewayFixture gateway =
            GatewayFixture.start(Routes.simple("all", "pathPrefix: /", upstream.url()));
        RawH2 client = RawH2.connect(gateway.port())) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      RawH2.pseudoHeaders(block, "GET", "/");
      RawH2.literal(block, "cookie", "session=abc");
      RawH2.literal(block, "cookie", "theme=dark");
      RawH2.literal(block, "cookie", "lang=en");
      client.headers(1, block.toByteArray(), true, true);

      assertThat(client.awaitStatus(1)).isEqualTo(204);
      String head = heads.poll(10, TimeUnit.SECONDS);
      assertThat(head).containsIgnoringCase("\r\ncookie: session=abc; theme=dark; lang=en\r\n");
      assertThat(head.toLowerCase().split("\r\ncookie:", -1)).hasSize(2);
    }
  }
}
