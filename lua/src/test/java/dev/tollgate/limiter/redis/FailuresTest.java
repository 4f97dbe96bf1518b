package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One classification for what either Redis path (Lettuce or the own sockets) throws. */
class FailuresTest {
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new TimeoutException("budget"), Reason.TIMEOUT),
        Arguments.of(new RedisCommandTimeoutException("lettuce timeout"), Reason.TIMEOUT),
        Arguments.of(new SocketTimeoutException("Read timed out"), Reason.TIMEOUT),
        Arguments.of(new RedisConnectionException("Unable to connect"), Reason.DISCONNECTED),
        Arguments.of(new RedisException("Currently not connected."), Reason.DISCONNECTED),
        Arguments.of(new RedisException("Request queue size exceeded: 10"), Reason.DISCONNECTED),
        Arguments.of(new ConnectException("Connection refused"), Reason.DISCONNECTED),
        Arguments.of(new EOFException("connection closed inside a reply"), Reason.DISCONNECTED),
        Arguments.of(new ProtocolException("not a RESP2 reply"), Reason.DISCONNECTED),
        Arguments.of(new IOException("Connection reset"), Reason.DISCONNECTED),
        Arguments.of(new RedisException("WRONGTYPE Operation"), Reason.REDIS_ERROR),
        Arguments.of(new IllegalStateException("Redis loaded decide as x"), Reason.REDIS_ERROR));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void classifiesTheCauseHoweverWrapped(Throwable cause, Reason reason) {
    for (Throwable thrown :
        new Throwable[] {
          cause,
          new CompletionException(cause),
          new CompletionException(new ExecutionException(cause))
        }) {
      LimiterUnavailableException translated = Failures.translate(thrown);

      assertThat(translated.reason()).isEqualTo(reason);
      assertThat(translated.getCause()).isSameAs(cause);
    }
  }

  @Test
  void passesTheEnginesOwnFailureThrough() {
    var known = new LimiterUnavailableException(Reason.DISCONNECTED, "limiter closed", null);

    assertThat(Failures.translate(new CompletionException(known))).isSameAs(known);
  }
}
