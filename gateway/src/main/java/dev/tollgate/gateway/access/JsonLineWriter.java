package dev.tollgate.gateway.access;

import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.gateway.problem.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access records as JSON lines (schema in docs/observability.md) to stdout or appends them
 * to a file, a batch per write. Written by hand rather than with a JSON library: thirteen known
 * fields, of which only the strings need escaping, on a thread that writes every request.
 */
final class JsonLineWriter implements RecordQueue.BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLineWriter.class);

  private final OutputStream out;
  private boolean failing;

  private JsonLineWriter(OutputStream out) {
    this.out = out;
  }

  static JsonLineWriter stdout() {
    return new JsonLineWriter(new NonClosing(System.out));
  }

  /**
   * @throws IOException when the file cannot be opened for appending
   */
  static JsonLineWriter file(Path file) throws IOException {
    return new JsonLineWriter(
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
  }

  @Override
  public void write(List<AccessRecord> batch) {
    StringBuilder lines = new StringBuilder(batch.size() * 320);
    for (AccessRecord record : batch) {
      append(record, lines);
    }
    try {
      out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      failing = false;
    } catch (IOException e) {
      if (!failing) {
        LOG.warn("Cannot write the access log: {}", e.toString());
        failing = true;
      }
    }
  }

  /** One record as one line of JSON, newline included. */
  static void append(AccessRecord r, StringBuilder out) {
    out.append("{\"time\":\"").append(Instant.ofEpochMilli(r.timeMillis())).append('"');
    out.append(",\"log\":\"access\"");
    string(out, "requestId", r.requestId());
    if (!r.traceId().isEmpty()) {
      string(out, "traceId", r.traceId());
    }
    if (!r.route().isEmpty()) {
      string(out, "route", r.route());
    }
    string(out, "method", r.method());
    string(out, "path", r.path());
    out.append(",\"status\":").append(r.status());
    if (r.bytes() >= 0) {
      out.append(",\"bytes\":").append(r.bytes());
    }
    out.append(",\"durationMs\":");
    millis(out, r.durationMicros());
    if (!r.upstream().isEmpty()) {
      string(out, "upstream", r.upstream());
      out.append(",\"upstreamMs\":");
      millis(out, r.upstreamMicros());
    }
    string(out, "client", r.client());
    if (!r.limits().isEmpty()) {
      out.append(",\"limits\":[");
      for (int i = 0; i < r.limits().size(); i++) {
        AccessRecord.LimitDecision d = r.limits().get(i);
        out.append(i == 0 ? "{" : ",{");
        out.append("\"policy\":");
        quote(out, d.policy());
        string(out, "limit", d.limit());
        string(out, "decision", d.decision());
        if (d.remaining() >= 0) {
          out.append(",\"remaining\":").append(d.remaining());
        }
        out.append('}');
      }
      out.append(']');
    }
    out.append("}\n");
  }

  private static void millis(StringBuilder out, long micros) {
    out.append(micros / 1000).append('.');
    long fraction = micros % 1000;
    if (fraction < 100) {
      out.append('0');
    }
    if (fraction < 10) {
      out.append('0');
    }
    out.append(fraction);
  }

  private static void string(StringBuilder out, String name, String value) {
    out.append(",\"").append(name).append("\":");
    quote(out, value);
  }

  private static void quote(StringBuilder out, String value) {
    Problem.writeString(out, value);
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      // closing at shutdown: nothing left to report it to
    }
  }

  /** stdout is shared with the application log: flushed, never closed. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(PrintStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
