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
 * The {@code curl} command line client (built with nghttp2), for requests as users send them: over
 * HTTP/2 with {@code --http2-prior-knowledge} or {@code --http2}. Headers and body go to files, so
 * binary and large bodies come back intact.
 */
public final class Curl {
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
      List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
      command.addAll(List.of("-D", headers.toString(), "-o", body.toString()));
      command.addAll(List.of("-w", "%{http_version} %{response_code}"));
      command.addAll(List.of(args));
      String[] written =
          ExternalCommand.run(Duration.ofSeconds(40), command).orThrow().output().trim().split(" ");
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
