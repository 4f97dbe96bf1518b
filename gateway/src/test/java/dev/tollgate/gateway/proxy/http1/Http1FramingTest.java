package dev.tollgate.gateway.proxy.http1;

import static dev.tollgate.gateway.proxy.http1.ScriptedUpstream.pieces;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.PatternStream;
import dev.tollgate.gateway.support.RawUpstream;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upstream HTTP/1.1 exchange against a scripted loopback upstream that answers byte by byte:
 * every way a response body is framed (Content-Length, chunked, none for HEAD/1xx/204/304, until
 * close) is decoded exactly, a connection goes back to the pool only when its framing allows it and
 * nothing is left unread, malformed answers are refused, and the request leaves byte for byte as
 * given (a body without length chunked, a header that would split the head never sent).
 */
class Http1FramingTest {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_HEAD_SIZE = 4096;

  /** Long enough for a loaded machine to deliver the head, short enough to wait out in a test. */
  private static final Duration SHORT_READ_TIMEOUT = Duration.ofSeconds(2);

  private static final String OK_LENGTH_5 = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  private static final String OK_CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  private static final String NO_CONTENT = "HTTP/1.1 204 No Content\r\n\r\n";

  private final List<UpstreamSocket> released = new ArrayList<>();
  private ScriptedUpstream upstream;
  private UpstreamSocket socket;

  @AfterEach
  void stop() {
    released.forEach(UpstreamSocket::close);
    if (socket != null) {
      socket.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  // Content-Length

  @Test
  void contentLengthBodyIsReadAndTheSocketReleased() throws Exception {
    UpstreamResponse response = assertDecodedAndReleased("hello", OK_LENGTH_5 + "hello");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get(HeaderNames.CONTENT_LENGTH).get()).isEqualTo("5");
  }

  @Test
  void zeroContentLengthIsAnEmptyBodyAndTheSocketReleased() throws Exception {
    assertDecodedAndReleased("", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  }

  @Test
  void contentLengthBodySplitAcrossWritesIsReassembled() throws Exception {
    assertDecodedAndReleased(
        "hello world", "HTTP/1.1 200 OK\r\nContent-Len", "gth: 11\r\n\r\nhel", "lo wo", "rl", "d");
  }

  @Test
  void repeatedEqualContentLengthIsAccepted() throws Exception {
    assertDecodedAndReleased("hello", "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello");
  }

  @ParameterizedTest
  @ValueSource(strings = {"5, 6", "-1", "abc", "+5", ""})
  void invalidContentLengthIsRefused(String length) {
    assertThatThrownBy(() -> get("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\nhello"))
        .isInstanceOf(MalformedResponseException.class);
  }

  // chunked

  @Test
  void chunksAreDecodedAndTheSocketReleased() throws Exception {
    assertDecodedAndReleased(
        "hello 0123456789", OK_CHUNKED + "5\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\n\r\n");
  }

  @Test
  void chunkExtensionsAreIgnored() throws Exception {
    assertDecodedAndReleased(
        "hello world",
        OK_CHUNKED + "5;name=value\r\nhello\r\n6 ; q=\"a;b\"\r\n world\r\n0;last\r\n\r\n");
  }

  @Test
  void trailersAreReadAndDropped() throws Exception {
    UpstreamResponse response =
        assertDecodedAndReleased(
            "hello", OK_CHUNKED + "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n");

    assertThat(response.headers().contains(HeaderNames.create("X-Checksum"))).isFalse();
  }

  @Test
  void chunksSplitAcrossWritesAreReassembled() throws Exception {
    assertDecodedAndReleased(
        "hello world",
        "HTTP/1.1 200 OK\r\nTransfer-",
        "Encoding: chunked\r\n\r\n5\r",
        "\nhel",
        "lo\r\n",
        "6\r\n world\r",
        "\n0\r\n",
        "\r\n");
  }

  @Test
  void lastChunkAloneIsAnEmptyBody() throws Exception {
    assertDecodedAndReleased("", OK_CHUNKED + "0\r\n\r\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "zz\r\nhello\r\n0\r\n\r\n",
        "\r\nhello\r\n0\r\n\r\n",
        "-5\r\nhello\r\n0\r\n\r\n",
        "5x\r\nhello\r\n0\r\n\r\n",
        "5 6\r\nhello\r\n0\r\n\r\n",
        "5 \t x\r\nhello\r\n0\r\n\r\n",
        "3\r\nhello\r\n0\r\n\r\n"
      })
  void invalidChunkFramingIsRefused(String chunks) throws Exception {
    UpstreamResponse response = get(OK_CHUNKED + chunks);

    assertThatThrownBy(() -> body(response)).isInstanceOf(MalformedResponseException.class);
  }

  @Test
  void contentLengthBesideChunkedIsDecodedAsChunkedAndTheSocketNotReused() throws Exception {
    assertDecodedAndClosed(
        "hello",
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n0\r\n\r\n");
  }

  // interim responses

  @Test
  void continueAndEarlyHintsBeforeTheFinalResponseAreSkipped() throws Exception {
    UpstreamResponse response =
        assertDecodedAndReleased(
            "hello",
            "HTTP/1.1 100 Continue\r\n\r\n",
            "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n",
            OK_LENGTH_5 + "hello");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().contains(HeaderNames.LINK)).isFalse();
  }

  @Test
  void endlessInterimResponsesAreRefused() {
    assertThatThrownBy(() -> get("HTTP/1.1 100 Continue\r\n\r\n".repeat(20)))
        .isInstanceOf(MalformedResponseException.class);
  }

  @Test
  void switchingProtocolsIsRefusedAsNoUpgradeWasAskedFor() {
    // after a 101 the connection speaks another protocol: it must never carry a request again
    assertThatThrownBy(
            () ->
                get(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n\r\n"))
        .isInstanceOf(MalformedResponseException.class);
    assertThat(released).isEmpty();
  }

  // no body

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HEAD | HTTP/1.1 200 OK\\r\\nContent-Length: 10\\r\\n\\r\\n",
        "HEAD | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n",
        "GET  | HTTP/1.1 204 No Content\\r\\n\\r\\n",
        "GET  | HTTP/1.1 304 Not Modified\\r\\nContent-Length: 10\\r\\nETag: \"x\"\\r\\n\\r\\n"
      })
  void responseWithoutBodyReadsNothingAndReleasesTheSocket(String method, String head)
      throws Exception {
    UpstreamResponse response = exchange(method, unescape(head));

    assertReleased();
    assertThat(response.body().read()).isEqualTo(-1);
  }

  // connection close

  @Test
  void connectionCloseBodyIsReadThenTheSocketClosed() throws Exception {
    assertDecodedAndClosed(
        "hello", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
  }

  @Test
  void http10BodyIsReadThenTheSocketClosed() throws Exception {
    assertDecodedAndClosed("hello", "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello");
  }

  @Test
  void bodyWithoutLengthOrChunkedIsReadUntilTheUpstreamCloses() throws Exception {
    UpstreamResponse response = getThenClosed("HTTP/1.1 200 OK\r\n\r\n", "part one,", " part two");

    assertThat(body(response)).isEqualTo("part one, part two");
    assertClosed();
  }

  /**
   * Transfer-Encoding is hop-by-hop: a coding the gateway did not decode would reach the client
   * with nothing saying how its body is coded.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Transfer-Encoding: gzip\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: chunked, chunked\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n"
      })
  void aTransferCodingOtherThanChunkedIsRefused(String codings) {
    assertThatThrownBy(() -> get("HTTP/1.1 200 OK\r\n" + codings + "\r\n5\r\nhello\r\n0\r\n\r\n"))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("transfer coding");
  }

  @ParameterizedTest
  @ValueSource(strings = {OK_LENGTH_5 + "hel", OK_CHUNKED + "5\r\nhel", OK_CHUNKED + "5\r\nhello"})
  void upstreamClosingInsideTheBodyFails(String truncated) throws Exception {
    UpstreamResponse response = getThenClosed(truncated);

    assertThatThrownBy(() -> body(response)).isInstanceOf(EOFException.class);
  }

  @Test
  void upstreamClosingInsideTheHeadFails() {
    assertThatThrownBy(() -> getThenClosed("HTTP/1.1 200 OK\r\nContent-"))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void trailersLargerThanTheLimitAreRefused() throws Exception {
    String trailer = "X-Trailer: " + "a".repeat(100) + "\r\n";
    UpstreamResponse response =
        get(OK_CHUNKED + "5\r\nhello\r\n0\r\n" + trailer.repeat(50) + "\r\n");

    assertThatThrownBy(() -> body(response)).isInstanceOf(HeadTooLargeException.class);
  }

  @Test
  void readTimeoutBoundsEveryWaitForTheBody() throws Exception {
    connect(ScriptedUpstream.answering(List.of(pieces(OK_LENGTH_5 + "hel"))));
    UpstreamResponse response =
        Http1Exchange.send(socket, "GET", "/", host(), null, SHORT_READ_TIMEOUT, released::add);

    assertThatThrownBy(() -> body(response)).isInstanceOf(SocketTimeoutException.class);
    response.close();
    assertClosed();
  }

  @Test
  void aHeadThatDoesNotComeWithinTheTimeoutEndsTheExchangeWithATimeout() throws Exception {
    connect(ScriptedUpstream.answering(List.of()));

    assertThatThrownBy(
            () ->
                Http1Exchange.send(
                    socket, "GET", "/", host(), null, SHORT_READ_TIMEOUT, released::add))
        .isInstanceOf(SocketTimeoutException.class);
    assertThat(released).isEmpty();
    assertClosed();
  }

  @Test
  void anUpstreamThatStopsTakingTheBodyIsCutOffAtTheTimeout() throws Exception {
    // accepts, then never reads: once the socket buffers are full the body's write blocks
    try (RawUpstream silent = RawUpstream.start(ignored -> sleepQuietly(Duration.ofSeconds(30)))) {
      assertThatThrownBy(() -> upload(silent, SHORT_READ_TIMEOUT))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(socket.isReusable()).isFalse();
    }
  }

  @Test
  void anAnswerSentBeforeTheBodyWasTakenIsReadAfterTheUpstreamCloses() throws Exception {
    String tooLarge =
        "HTTP/1.1 413 Content Too Large\r\nContent-Length: 9\r\nConnection: close\r\n\r\ntoo large";
    // answers once the head is in, then closes with the body unread, which resets the connection
    try (RawUpstream early =
        RawUpstream.start(
            accepted -> {
              RawUpstream.skipHead(accepted.getInputStream());
              accepted.getOutputStream().write(tooLarge.getBytes(ISO_8859_1));
            })) {
      UpstreamResponse response = upload(early, READ_TIMEOUT);

      assertThat(response.status()).isEqualTo(413);
      assertThat(body(response)).isEqualTo("too large");
      assertThat(released).isEmpty();
      assertThat(socket.isReusable()).isFalse();
    }
  }

  @Test
  void anUpstreamThatClosesBeforeTakingTheBodyWithoutAnAnswerFailsTheExchange() {
    try (RawUpstream closing =
        RawUpstream.start(accepted -> RawUpstream.skipHead(accepted.getInputStream()))) {
      assertThatThrownBy(() -> upload(closing, READ_TIMEOUT))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(SocketTimeoutException.class);
      assertThat(released).isEmpty();
    }
  }

  /**
   * PUTs a body far larger than the socket buffers to {@code upstream} on a new {@link #socket}.
   */
  private UpstreamResponse upload(RawUpstream upstream, Duration readTimeout) throws IOException {
    socket = connector().open(URI.create(upstream.url()));
    long size = 256L * 1024 * 1024;
    WritableHeaders<?> headers =
        WritableHeaders.create()
            .add(HeaderNames.HOST, "127.0.0.1")
            .add(HeaderNames.CONTENT_LENGTH, Long.toString(size));
    return Http1Exchange.send(
        socket, "PUT", "/", headers, new PatternStream(size, 1), readTimeout, released::add);
  }

  @Test
  void closingBeforeTheBodyEndsClosesTheSocket() throws Exception {
    UpstreamResponse response = get(OK_LENGTH_5 + "hel", "lo");
    assertThat(response.body().read()).isEqualTo('h');

    response.close();

    assertClosed();
  }

  // malformed heads

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "HTTP/1.x 200 OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNoColonHere\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A : 1\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 0\r\n\r\n"
      })
  void malformedHeadIsRefused(String head) {
    assertThatThrownBy(() -> get(head)).isInstanceOf(MalformedResponseException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 200})
  void headLargerThanTheLimitIsRefused(int fields) {
    String field = "X-Big: " + "a".repeat(2 * MAX_HEAD_SIZE / fields) + "\r\n";

    assertThatThrownBy(() -> get("HTTP/1.1 200 OK\r\n" + field.repeat(fields) + "\r\n"))
        .isInstanceOf(HeadTooLargeException.class);
  }

  // request side

  @Test
  void requestHeadIsSentByteForByte() throws Exception {
    connect(answering(NO_CONTENT));
    String authority = upstream.uri().getAuthority();
    WritableHeaders<?> headers =
        WritableHeaders.create()
            .add(HeaderNames.ACCEPT, "*/*")
            .add(HeaderNames.HOST, authority)
            .add(HeaderNames.create("X-Trace"), "a\tb")
            .add(HeaderNames.create("X-Multi"), "1", "2");

    send("GET", "/path?q=%20", headers, null);
    socket.close();

    assertThat(upstream.nextConnection().text())
        .isEqualTo(
            "GET /path?q=%20 HTTP/1.1\r\nAccept: */*\r\nHost: "
                + authority
                + "\r\nX-Trace: a\tb\r\nX-Multi: 1\r\nX-Multi: 2\r\n\r\n");
  }

  @Test
  void bodyWithContentLengthIsSentExactly() throws Exception {
    connect(answering(NO_CONTENT));

    send("POST", "/", host().add(HeaderNames.CONTENT_LENGTH, "11"), stream("hello world"));
    socket.close();

    assertThat(upstream.nextConnection().text())
        .endsWith("\r\nContent-Length: 11\r\n\r\nhello world");
  }

  @Test
  void bodyWithoutContentLengthIsSentChunked() throws Exception {
    connect(answering(NO_CONTENT));
    byte[] body = new byte[20_000]; // more than one buffer: several chunks
    new Random(16).nextBytes(body);

    send("POST", "/", host(), new ByteArrayInputStream(body));
    socket.close();

    String sent = upstream.nextConnection().text();
    String head = "Transfer-Encoding: chunked\r\n\r\n";
    assertThat(sent).contains(head);
    assertThat(dechunk(sent.substring(sent.indexOf(head) + head.length()))).isEqualTo(body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\rb", "a\nb", "a\r\n\r\nGET /injected HTTP/1.1\r\nHost: x"})
  void headerValueWithCrOrLfIsRefusedAndNoRequestSent(String value) throws Exception {
    connect(answering(NO_CONTENT));

    assertThatThrownBy(() -> send("GET", "/", host().add(HeaderNames.create("X-A"), value), null))
        .isInstanceOf(UnsendableRequestException.class);
    socket.close();

    String sent = upstream.nextConnection().text();
    assertThat(sent).doesNotContain("\r\n\r\n").doesNotContain("injected");
  }

  /**
   * An HTTP/2 client may send such names; written as they are, the upstream would read {@code
   * x-real-ip:203.0.113.9: x} as a second X-Real-IP with a value the client chose.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"x-real-ip:203.0.113.9", "forwarded:for=203.0.113.9", "x a", "x\"a", "x\ta"})
  void headerNameThatIsNotATokenIsRefusedAndNoRequestSent(String name) throws Exception {
    connect(answering(NO_CONTENT));

    assertThatThrownBy(() -> send("GET", "/", host().add(HeaderNames.create(name), "x"), null))
        .isInstanceOf(UnsendableRequestException.class)
        .hasMessageContaining("field name");
    socket.close();

    assertThat(upstream.nextConnection().text()).doesNotContain("\r\n\r\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"GET | /?a\tb", "GET | /a b", "GET | /caf\u00e9", "G:T | /", "GET\tX | /"})
  void requestLineThatIsNotTokenAndVisibleAsciiIsRefusedAndNoRequestSent(
      String method, String target) throws Exception {
    connect(answering(NO_CONTENT));

    assertThatThrownBy(() -> send(unescape(method), unescape(target), host(), null))
        .isInstanceOf(UnsendableRequestException.class);
    socket.close();

    assertThat(upstream.nextConnection().text()).doesNotContain("\r\n\r\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X\"A: 1", "X(A): 1", "X/A: 1", "X@A: 1", "X[A]: 1", "X{A}: 1"})
  void responseHeaderNameThatIsNotATokenIsRefused(String field) {
    assertThatThrownBy(() -> get("HTTP/1.1 200 OK\r\n" + field + "\r\nContent-Length: 0\r\n\r\n"))
        .isInstanceOf(MalformedResponseException.class);
  }

  /** The client, not the upstream, failed: the proxy must not charge the endpoint for it. */
  @Test
  void aClientBodyThatFailsIsTheClientsFailure() throws Exception {
    connect(answering(NO_CONTENT));
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("client went away");
          }
        };

    assertThatThrownBy(
            () -> send("POST", "/", host().add(HeaderNames.CONTENT_LENGTH, "10"), broken))
        .isInstanceOf(ClientBodyException.class)
        .hasMessageContaining("client went away");
  }

  /**
   * The upstream waits for the body as much as the gateway does while the client pauses; the
   * client's own body timeout bounds that pause, not the upstream's.
   */
  @Test
  void aClientPausingLongerThanTheTimeoutInsideItsBodyIsNoUpstreamTimeout() throws Exception {
    connect(answering(NO_CONTENT));
    InputStream pausing =
        new SequenceInputStream(
            stream("a"), new PausedStream("b", SHORT_READ_TIMEOUT.plusSeconds(1)));

    UpstreamResponse response =
        Http1Exchange.send(
            socket,
            "POST",
            "/",
            host().add(HeaderNames.CONTENT_LENGTH, "2"),
            pausing,
            SHORT_READ_TIMEOUT,
            released::add);

    assertThat(response.status()).isEqualTo(204);
    assertThat(upstream.nextConnection().text()).endsWith("\r\n\r\nab");
  }

  @Test
  void requestBodyShorterThanItsContentLengthFails() throws Exception {
    connect(answering(NO_CONTENT));

    assertThatThrownBy(
            () -> send("POST", "/", host().add(HeaderNames.CONTENT_LENGTH, "10"), stream("short")))
        .isInstanceOf(ClientBodyException.class);
  }

  // reuse

  @Test
  void releasedSocketCarriesTheNextExchange() throws Exception {
    connect(answering(OK_LENGTH_5 + "first", OK_CHUNKED + "6\r\nsecond\r\n0\r\n\r\n", NO_CONTENT));

    assertThat(body(send("GET", "/1", host(), null))).isEqualTo("first");
    assertThat(body(send("GET", "/2", host(), null))).isEqualTo("second");
    send("GET", "/3", host(), null);
    socket.close();

    assertThat(released).containsExactly(socket, socket, socket);
    assertThat(upstream.nextConnection().text().split("\r\n\r\n"))
        .extracting(request -> request.substring(0, request.indexOf(" HTTP/1.1")))
        .containsExactly("GET /1", "GET /2", "GET /3");
  }

  @Test
  void bytesLeftAfterAResponseKeepTheSocketOutOfThePool() throws Exception {
    UpstreamResponse response = get(OK_LENGTH_5 + "hello" + OK_LENGTH_5 + "extra");

    assertThat(body(response)).isEqualTo("hello");
    assertThat(released).isEmpty();
  }

  /**
   * Bytes that come while the socket is idle in the pool (a late body, an upstream's own 408 before
   * it closes) would be read as the next request's response.
   */
  @Test
  void bytesArrivingWhileTheSocketIsIdleKeepItOutOfThePool() throws Exception {
    connect(
        ScriptedUpstream.answering(
            List.of(pieces(OK_LENGTH_5 + "hello", "HTTP/1.1 408 Request Timeout\r\n\r\n"))));

    assertThat(body(send("GET", "/", host(), null))).isEqualTo("hello");

    // the 408 follows 20 ms later, once the socket was given back (or, on a busy machine, while
    // the body was read: then it was never given back)
    await().atMost(Duration.ofSeconds(10)).until(() -> !socket.isReusable());
  }

  // helpers

  /** Connects to an upstream answering the first request with {@code pieces}, and sends GET. */
  private UpstreamResponse get(String... pieces) throws IOException {
    return exchange("GET", pieces);
  }

  private UpstreamResponse exchange(String method, String... pieces) throws IOException {
    connect(ScriptedUpstream.answering(List.of(pieces(pieces))));
    return send(method, "/", host(), null);
  }

  /** Like {@link #get}; the upstream closes the connection after the response. */
  private UpstreamResponse getThenClosed(String... pieces) throws IOException {
    connect(ScriptedUpstream.answeringThenClosing(List.of(pieces(pieces))));
    return send("GET", "/", host(), null);
  }

  /** An upstream answering the n-th request with the n-th response, each in one piece. */
  private static ScriptedUpstream answering(String... responses) {
    return ScriptedUpstream.answering(
        Arrays.stream(responses).map(ScriptedUpstream::pieces).toList());
  }

  private void connect(ScriptedUpstream scripted) throws IOException {
    upstream = scripted;
    socket = connector().open(upstream.uri());
  }

  private UpstreamResponse send(
      String method, String target, WritableHeaders<?> headers, InputStream body)
      throws IOException {
    UpstreamSocket on = released.isEmpty() ? socket : released.get(released.size() - 1);
    return Http1Exchange.send(on, method, target, headers, body, READ_TIMEOUT, released::add);
  }

  private WritableHeaders<?> host() {
    return WritableHeaders.create().add(HeaderNames.HOST, upstream.uri().getAuthority());
  }

  /**
   * Sends GET to an upstream answering with {@code pieces}; the body decodes to {@code expected}.
   */
  private UpstreamResponse assertDecodedAndReleased(String expected, String... pieces)
      throws IOException {
    UpstreamResponse response = get(pieces);
    assertThat(body(response)).isEqualTo(expected);
    assertReleased();
    return response;
  }

  private void assertDecodedAndClosed(String expected, String... pieces)
      throws IOException, InterruptedException {
    assertThat(body(get(pieces))).isEqualTo(expected);
    assertClosed();
  }

  private void assertReleased() {
    assertThat(released).containsExactly(socket);
    assertThat(socket.isReusable()).isTrue();
  }

  /** Not released, and the upstream saw the client close the connection. */
  private void assertClosed() throws InterruptedException {
    assertThat(released).isEmpty();
    assertThat(upstream.nextConnection().closedByClient()).isTrue();
  }

  static UpstreamConnector connector() {
    try {
      return new UpstreamConnector(Duration.ofSeconds(5), SSLContext.getDefault(), MAX_HEAD_SIZE);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String body(UpstreamResponse response) throws IOException {
    return new String(response.body().readAllBytes(), ISO_8859_1);
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(ISO_8859_1));
  }

  /** CSV sources cannot hold CR and LF: they are written there as the two characters \r, \n. */
  private static String unescape(String text) {
    return text.replace("\\r", "\r").replace("\\n", "\n");
  }

  /** A strict decoder of the chunked coding, independent of the one under test. */
  private static byte[] dechunk(String coded) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = coded.indexOf("\r\n", at);
      int size = Integer.parseInt(coded.substring(at, lineEnd), 16);
      at = lineEnd + 2;
      if (size == 0) {
        assertThat(coded.substring(at)).isEqualTo("\r\n");
        return out.toByteArray();
      }
      out.write(coded.substring(at, at + size).getBytes(ISO_8859_1), 0, size);
      at += size;
      assertThat(coded.substring(at, at + 2)).isEqualTo("\r\n");
      at += 2;
    }
  }

  /** One byte, given only after a pause: a client that stops inside its upload for a while. */
  private static final class PausedStream extends InputStream {
    private final byte[] content;
    private final Duration pause;
    private int at;

    PausedStream(String content, Duration pause) {
      this.content = content.getBytes(ISO_8859_1);
      this.pause = pause;
    }

    @Override
    public int read() {
      if (at == 0) {
        sleepQuietly(pause);
      }
      return at < content.length ? content[at++] & 0xff : -1;
    }

    @Override
    public int available() {
      return 0;
    }
  }

  /** A scripted upstream's stall; the test ends it by closing the server. */
  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
