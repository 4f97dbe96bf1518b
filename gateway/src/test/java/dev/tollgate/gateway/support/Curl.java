package dev.tollgate.gateway.support;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code curl} command line client (built with nghttp2), for requests as users send them. Two
 * ways to run it: {@link #run} for an exchange that must succeed, headers and body to files so
 * binary and large bodies come back intact; {@link #verbose} for what the TLS handshake did, where
 * a refused handshake is an outcome the test asserts.
 */
public final class Curl {
  /** curl's own deadline for the whole exchange. */
  private static final Duration MAX_TIME = Duration.ofSeconds(30);

  /** Ours for the process: curl's plus time for it to start and write its files. */
  private static final Duration DEADLINE = MAX_TIME.plusSeconds(10);

  private Curl() {}

  /**
   * One response.
   *
   * @param version HTTP version curl used ({@code 2} for HTTP/2, {@code 1.1})
   * @param status status code of the last response
   * @param headers lower-case header names to values
   * @param body the body bytes
   */
  public record Response(
      String version, int status, Map<String, List<String>> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.getFirst();
    }
  }

  /**
   * Runs {@code curl -sS <args>} (which must include the URL) and returns the response; fails the
   * test when curl fails.
   */
  public static Response run(String... args) {
    Path dir = TempDirs.create("tollgate-curl");
    try {
      Path headers = dir.resolve("headers");
      Path body = dir.resolve("body");
      List<String> command = command();
      command.addAll(List.of("-D", headers.toString(), "-o", body.toString()));
      command.addAll(List.of("-w", "%{http_version} %{response_code}"));
      command.addAll(List.of(args));
      String[] written =
          ExternalCommand.run(DEADLINE, command).orThrow().output().trim().split(" ");
      return new Response(
          written[0],
          Integer.parseInt(written[1]),
          parseHeaders(Files.readString(headers, StandardCharsets.ISO_8859_1)),
          Files.exists(body) ? Files.readAllBytes(body) : new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      TempDirs.deleteRecursively(dir);
    }
  }

  /**
   * {@code curl -sS -v --resolve host:port:127.0.0.1 <args> <url>} against the gateway's loopback
   * ports; verbose output (handshake, certificate subject, status line) and body interleaved in
   * {@link ExternalCommand.Result#output}. A failing curl is returned, not thrown: its exit code is
   * what a test of a refused handshake asserts.
   */
  public static ExternalCommand.Result verbose(String host, int port, String url, String... args) {
    List<String> command = command();
    command.addAll(List.of("-v", "--resolve", host + ":" + port + ":127.0.0.1"));
    command.addAll(List.of(args));
    command.add(url);
    return ExternalCommand.run(DEADLINE, command);
  }

  /** The status code of the response a {@link #verbose} run printed, 0 when there was none. */
  public static int status(ExternalCommand.Result verbose) {
    for (String line : verbose.output().lines().toList()) {
      if (line.startsWith("< HTTP/")) {
        return Integer.parseInt(line.split(" ")[2]);
      }
    }
    return 0;
  }

  /** {@code curl -sS --max-time}, silent but for errors, bounded. */
  private static List<String> command() {
    return new ArrayList<>(
        List.of("curl", "-sS", "--max-time", Long.toString(MAX_TIME.toSeconds())));
  }

  /**
   * Header fields of the last response in a {@code -D} dump (earlier ones are 1xx or redirects).
   */
  private static Map<String, List<String>> parseHeaders(String dump) {
    Map<String, List<String>> headers = new HashMap<>();
    for (String line : dump.split("\r\n")) {
      if (line.startsWith("HTTP/")) {
        headers.clear();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(
                line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
    }
    return headers;
  }
}
