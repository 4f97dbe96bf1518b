package dev.tollgate.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.api.access.AccessRecord.LimitDecision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The access log line (schema in docs/observability.md) and the path template it carries. */
class AccessLogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void oneRecordIsOneLineOfJsonWithTheDocumentedFields() throws Exception {
    AccessRecord record =
        new AccessRecord(
            1_764_806_400_123L,
            "req-\"1\"",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "shop/orders",
            "POST",
            "/orders/{id}",
            429,
            151,
            1_234,
            "",
            -1,
            "sub:0123456789abcdef",
            List.of(new LimitDecision("shop/per-user", "burst", "limited", 0)));
    StringBuilder out = new StringBuilder();

    JsonLineWriter.append(record, out);

    assertThat(out).endsWith("}\n");
    assertThat(out.toString().strip()).doesNotContain("\n");
    JsonNode line = JSON.readTree(out.toString());
    assertThat(line.get("time").asText()).isEqualTo("2025-12-04T00:00:00.123Z");
    assertThat(line.get("log").asText()).isEqualTo("access");
    assertThat(line.get("requestId").asText()).isEqualTo("req-\"1\"");
    assertThat(line.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(line.get("route").asText()).isEqualTo("shop/orders");
    assertThat(line.get("method").asText()).isEqualTo("POST");
    assertThat(line.get("path").asText()).isEqualTo("/orders/{id}");
    assertThat(line.get("status").asInt()).isEqualTo(429);
    assertThat(line.get("bytes").asLong()).isEqualTo(151);
    assertThat(line.get("durationMs").decimalValue()).isEqualByComparingTo("1.234");
    assertThat(line.has("upstream")).isFalse();
    assertThat(line.get("client").asText()).isEqualTo("sub:0123456789abcdef");
    JsonNode limit = line.get("limits").get(0);
    assertThat(limit.get("policy").asText()).isEqualTo("shop/per-user");
    assertThat(limit.get("limit").asText()).isEqualTo("burst");
    assertThat(limit.get("decision").asText()).isEqualTo("limited");
    assertThat(limit.get("remaining").asLong()).isZero();
  }

  @Test
  void upstreamTimeIsInMillisecondsAndControlCharactersAreEscaped() throws Exception {
    AccessRecord record =
        new AccessRecord(
            0,
            "r",
            "",
            "",
            "GET",
            "/a\tb",
            200,
            5,
            2_005,
            "http://10.0.0.1:80",
            1_050,
            "1.2.3.4",
            List.of());
    StringBuilder out = new StringBuilder();

    JsonLineWriter.append(record, out);

    JsonNode line = JSON.readTree(out.toString());
    assertThat(line.get("path").asText()).isEqualTo("/a\tb");
    assertThat(line.get("durationMs").decimalValue()).isEqualByComparingTo("2.005");
    assertThat(line.get("upstreamMs").decimalValue()).isEqualByComparingTo("1.050");
    assertThat(line.has("route")).isFalse();
    assertThat(line.has("traceId")).isFalse();
    assertThat(line.has("limits")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "/orders, /orders",
    "/, /",
    "/orders/42, /orders/{id}",
    "/orders/42/items/7, /orders/{id}/items/{id}",
    "/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301, /users/{id}",
    "/blobs/0123456789abcdef0123, /blobs/{id}",
    "/v2/items, /v2/items",
    "/files/report-2024.pdf, /files/report-2024.pdf",
  })
  void identifierSegmentsBecomeOnePlaceholder(String path, String template) {
    assertThat(PathTemplate.of(path)).isEqualTo(template);
  }

  @Test
  void longPathsAreCutAtASegment() {
    String path = "/a".repeat(150);

    String template = PathTemplate.of(path);

    assertThat(template).hasSizeLessThanOrEqualTo(PathTemplate.MAX_LENGTH + 4).endsWith("/{…}");
  }

  @Test
  void clientIsTheSubjectsHashNeverTheSubject() {
    assertThat(ClientLabel.hash("alice")).hasSize(16).isEqualTo(ClientLabel.hash("alice"));
    assertThat(ClientLabel.hash("alice")).isNotEqualTo(ClientLabel.hash("bob"));
  }
}
