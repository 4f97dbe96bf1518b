package dev.tollgate.gateway.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;

/**
 * The one reading of {@code Connection} that the exchange, the relay and the WebSocket check use.
 */
class ConnectionOptionsTest {
  @Test
  void noConnectionHeaderListsNothing() {
    assertThat(ConnectionOptions.of(WritableHeaders.create().add(HeaderNames.HOST, "a"))).isEmpty();
  }

  @Test
  void optionsAreReadFromEveryLineInOrderInLowerCaseWithoutEmptyElements() {
    WritableHeaders<?> headers =
        WritableHeaders.create()
            .add(HeaderNames.CONNECTION, " Keep-Alive ,, X-Trace-Hop", "CLOSE", ",Upgrade,");

    assertThat(ConnectionOptions.of(headers))
        .containsExactly("keep-alive", "x-trace-hop", "close", "upgrade");
  }
}
