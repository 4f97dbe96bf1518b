package dev.tollgate.gateway.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The upstream HTTP/1.1 exchange against a real nginx: a few thousand random requests (static files
 * of random size and bytes, gzip-encoded answers that nginx sends chunked, HEAD, 204, 304 on the
 * ETag of an earlier answer, 404, uploads by PUT with Content-Length or chunked and read back) on
 * one small pool of released sockets, bodies read in odd sizes. Every body decodes to exactly the
 * bytes on disk, a socket goes back to the pool exactly when nginx keeps the connection open and
 * the body was read to its end (nginx closes every 7th), a response closed early closes its socket,
 * and reuse really happens. The seed is printed; {@code -Dfuzz.seed=N} replays a run.
 */
class Http1NginxFuzzIT {
  private static final long SEED = Long.getLong("fuzz.seed", 20_161_205L);
  private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3000);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_FILE_SIZE = 300 * 1024;

  private static NginxFileServer nginx;
  private static final Map<String, byte[]> FILES = new TreeMap<>();

  private final RandomRequests random = new RandomRequests(SEED);
  private final ArrayDeque<UpstreamSocket> idle = new ArrayDeque<>();
  private final Map<String, String> etags = new HashMap<>();
  private final Map<String, byte[]> uploads = new HashMap<>();
  private final List<String> mismatches = new ArrayList<>();
  private final Map<String, Integer> seen = new TreeMap<>();
  private UpstreamConnector connector;
  private int opened;
  private int exchanges;

  @BeforeAll
  static void start() throws IOException {
    System.out.println("Http1NginxFuzzIT seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
    Path site = NginxFileServer.newSite();
    RandomRequests files = new RandomRequests(SEED);
    for (int i = 0; i < 40; i++) {
      String name = i % 4 == 0 ? "t" + i + ".txt" : "f" + i + ".bin";
      byte[] content =
          i % 4 == 0 ? files.text(files.size()) : files.bytes(i == 1 ? 0 : files.size());
      Files.write(NginxFileServer.files(site).resolve(name), content);
      FILES.put("/files/" + name, content);
    }
    nginx = NginxFileServer.start(site);
  }

  @AfterAll
  static void stop() {
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  void randomRequestsDecodeExactlyAndReuseConnections() {
    connector = Http1FramingTest.connector();
    try {
      for (int n = 0; n < REQUESTS; n++) {
        oneRandomRequest(n);
      }
    } finally {
      idle.forEach(UpstreamSocket::close);
    }
    System.out.printf(
        "Http1NginxFuzzIT: %d exchanges on %d connections; %s%n", exchanges, opened, seen);

    assertThat(mismatches).as("mismatches with seed " + SEED).isEmpty();
    assertThat(opened).as("connections opened").isLessThan(exchanges / 2);
    assertThat(seen)
        .containsKeys(
            "chunked", "gzip", "connection close", "early close", "HEAD", "204", "304", "404")
        .containsKeys("PUT chunked", "PUT length", "upload read back", "interleaved");
  }

  private void oneRandomRequest(int n) {
    String path = random.pick(FILES.keySet());
    int dice = random.nextInt(100);
    try {
      if (dice < 35) {
        getFile(path, false);
      } else if (dice < 55) {
        getFile(path, true);
      } else if (dice < 63) {
        head(path);
      } else if (dice < 70) {
        conditional(path);
      } else if (dice < 74) {
        expect("204", "GET", "/empty", host(), null, 204, new byte[0]);
      } else if (dice < 78) {
        expect(
            "text",
            "GET",
            "/text",
            acceptingGzip(),
            null,
            200,
            "text".getBytes(StandardCharsets.US_ASCII));
      } else if (dice < 88) {
        put("/dav/u" + random.nextInt(8) + ".bin");
      } else if (dice < 92) {
        getUpload();
      } else if (dice < 96) {
        interleaved(path, random.pick(FILES.keySet()));
      } else {
        expect("404", "GET", "/files/missing" + n, host(), null, 404, null);
      }
    } catch (IOException | RuntimeException e) {
      mismatches.add("request " + n + " (" + path + ", dice " + dice + "): " + e);
    }
  }

  private void getFile(String path, boolean gzip) throws IOException {
    byte[] content = FILES.get(path);
    if (!gzip && content.length > 0 && random.nextInt(100) < 8) {
      closeEarly(path, content.length);
      return;
    }
    UpstreamResponse response =
        expect("GET", "GET", path, gzip ? acceptingGzip() : host(), null, 200, content);
    response.headers().first(HeaderNames.ETAG).ifPresent(etag -> etags.put(path, etag));
  }

  /** Reads less than the whole body and closes: the socket must be closed, not pooled. */
  private void closeEarly(String path, int size) throws IOException {
    Exchange exchange = send("GET", path, host(), null);
    try (UpstreamResponse response = exchange.response()) {
      read(response.body(), random.nextInt(size), random.readSize());
    }
    count("early close");
    check(
        !idle.contains(exchange.socket()) && !exchange.socket().isReusable(),
        "a response closed early left its socket open or pooled: " + path);
  }

  private void head(String path) throws IOException {
    boolean gzip = random.nextBoolean();
    UpstreamResponse response =
        expect("HEAD", "HEAD", path, gzip ? acceptingGzip() : host(), null, 200, new byte[0]);
    if (response.headers().contains(HeaderNames.CONTENT_LENGTH)) {
      check(
          response
              .headers()
              .get(HeaderNames.CONTENT_LENGTH)
              .get()
              .equals(String.valueOf(FILES.get(path).length)),
          "HEAD " + path + " Content-Length " + response.headers());
    }
  }

  private void conditional(String path) throws IOException {
    String etag = etags.get(path);
    if (etag == null) {
      getFile(path, false);
      return;
    }
    WritableHeaders<?> headers = host().add(HeaderNames.IF_NONE_MATCH, etag);
    expect("304", "GET", path, headers, null, 304, new byte[0]);
  }

  private void put(String path) throws IOException {
    byte[] content = random.bytes(random.nextInt(200 * 1024));
    boolean chunked = random.nextBoolean();
    WritableHeaders<?> headers = host();
    InputStream body;
    if (chunked) {
      body = new TricklingInputStream(content, random.readSize());
    } else {
      headers.add(HeaderNames.CONTENT_LENGTH, String.valueOf(content.length));
      body = new ByteArrayInputStream(content);
    }
    int status = uploads.containsKey(path) ? 204 : 201;
    expect(chunked ? "PUT chunked" : "PUT length", "PUT", path, headers, body, status, null);
    uploads.put(path, content);
  }

  private void getUpload() throws IOException {
    if (uploads.isEmpty()) {
      return;
    }
    String path = random.pick(uploads.keySet());
    WritableHeaders<?> headers = random.nextBoolean() ? acceptingGzip() : host();
    expect("upload read back", "GET", path, headers, null, 200, uploads.get(path));
  }

  /**
   * Sends a request, reads the whole body (gunzipped if so encoded), and records a mismatch for a
   * wrong status, a wrong body (unless {@code content} is null) or a socket pooled when it should
   * be closed or the other way round.
   */
  private UpstreamResponse expect(
      String kind,
      String method,
      String path,
      WritableHeaders<?> headers,
      InputStream body,
      int status,
      byte[] content)
      throws IOException {
    return finish(kind, send(method, path, headers, body), new byte[0], status, content);
  }

  /** {@link #expect} for an exchange whose body's first bytes were already read. */
  private UpstreamResponse finish(
      String kind, Exchange exchange, byte[] start, int status, byte[] content) throws IOException {
    try (UpstreamResponse response = exchange.response()) {
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      received.write(start);
      received.write(read(response.body(), Integer.MAX_VALUE, random.readSize()));
      count(kind);
      String what = exchange.what() + " (" + kind + ")";
      check(response.status() == status, what + ": status " + response.status());
      byte[] decoded = decode(response, received.toByteArray());
      check(
          content == null || Arrays.equals(decoded, content),
          what + ": body of " + decoded.length + " bytes differs from " + lengthOf(content));
      checkPooling(what, exchange.socket(), response);
      return response;
    }
  }

  /**
   * Reads part of one body, runs a whole other exchange meanwhile (on a second socket: the pool
   * holds two), then the rest of the first body.
   */
  private void interleaved(String first, String second) throws IOException {
    byte[] content = FILES.get(first);
    Exchange exchange = send("GET", first, host(), null);
    try {
      byte[] start =
          read(exchange.response().body(), random.nextInt(content.length + 1), random.readSize());
      getFile(second, random.nextBoolean());
      finish("interleaved", exchange, start, 200, content);
    } finally {
      exchange.response().close();
    }
  }

  private void checkPooling(String what, UpstreamSocket socket, UpstreamResponse response) {
    boolean close =
        response.headers().contains(HeaderNames.CONNECTION)
            && response.headers().get(HeaderNames.CONNECTION).get().equalsIgnoreCase("close");
    if (close) {
      count("connection close");
      check(!idle.contains(socket) && !socket.isReusable(), what + ": closed socket pooled");
    } else {
      check(idle.peek() == socket && socket.isReusable(), what + ": keep-alive socket not pooled");
    }
  }

  private byte[] decode(UpstreamResponse response, byte[] received) throws IOException {
    if (response.headers().contains(HeaderNames.TRANSFER_ENCODING)) {
      count("chunked");
    }
    boolean gzip =
        response.headers().contains(HeaderNames.CONTENT_ENCODING)
            && response.headers().get(HeaderNames.CONTENT_ENCODING).get().equals("gzip");
    if (!gzip || received.length == 0) {
      return received;
    }
    count("gzip");
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(received))) {
      return in.readAllBytes();
    }
  }

  private record Exchange(String what, UpstreamSocket socket, UpstreamResponse response) {}

  /** One exchange on a pooled socket, or a new one when the pool is empty. */
  private Exchange send(String method, String path, WritableHeaders<?> headers, InputStream body)
      throws IOException {
    UpstreamSocket socket = idle.poll();
    if (socket == null) {
      socket = connector.open(nginx.uri());
      opened++;
    }
    try {
      exchanges++;
      return new Exchange(
          method + " " + path,
          socket,
          Http1Exchange.send(socket, method, path, headers, body, READ_TIMEOUT, idle::push));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Up to {@code limit} bytes of {@code body}, read {@code readSize} bytes at a time. */
  private static byte[] read(InputStream body, int limit, int readSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[readSize];
    int n;
    while (out.size() < limit
        && (n = body.read(buffer, 0, Math.min(readSize, limit - out.size()))) >= 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private WritableHeaders<?> host() {
    return WritableHeaders.create().add(HeaderNames.HOST, nginx.authority());
  }

  private WritableHeaders<?> acceptingGzip() {
    return host().add(HeaderNames.ACCEPT_ENCODING, "gzip");
  }

  private void check(boolean condition, String mismatch) {
    if (!condition) {
      mismatches.add(mismatch);
    }
  }

  private void count(String kind) {
    seen.merge(kind, 1, Integer::sum);
  }

  private static String lengthOf(byte[] content) {
    return content == null ? "none" : content.length + " bytes expected";
  }

  /** A request body that arrives in small pieces and never says more is ready, like an upload. */
  private static final class TricklingInputStream extends InputStream {
    private final ByteArrayInputStream bytes;
    private final int piece;

    TricklingInputStream(byte[] content, int piece) {
      this.bytes = new ByteArrayInputStream(content);
      this.piece = piece;
    }

    @Override
    public int read() {
      return bytes.read();
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      return bytes.read(target, offset, Math.min(length, piece));
    }

    @Override
    public int available() {
      return 0;
    }
  }

  /** The fixed-seed choices of a run: sizes, contents, read sizes, which key. */
  private static final class RandomRequests extends Random {
    RandomRequests(long seed) {
      super(seed);
    }

    /** Mostly small bodies, some up to {@link #MAX_FILE_SIZE}. */
    int size() {
      return switch (nextInt(3)) {
        case 0 -> nextInt(1500);
        case 1 -> nextInt(20 * 1024);
        default -> nextInt(MAX_FILE_SIZE + 1);
      };
    }

    byte[] bytes(int size) {
      byte[] bytes = new byte[size];
      nextBytes(bytes);
      return bytes;
    }

    byte[] text(int size) {
      byte[] text = new byte[size];
      for (int i = 0; i < size; i++) {
        text[i] = (byte) (nextInt(10) == 0 ? '\n' : 'a' + nextInt(26));
      }
      return text;
    }

    /** 1 byte at a time now and then (slow on big bodies), else 7, a buffer, or any size. */
    int readSize() {
      int dice = nextInt(100);
      return dice < 3 ? 1 : dice < 25 ? 7 : dice < 60 ? 8192 : 1 + nextInt(65_536);
    }

    <T> T pick(Collection<T> keys) {
      return new ArrayList<>(keys).get(nextInt(keys.size()));
    }
  }
}
