package dev.tollgate.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollgate.analytics.report.Report;
import dev.tollgate.analytics.report.ReportJson;
import dev.tollgate.testkit.LoopbackHttp;
import java.net.http.HttpResponse;

/** Reads {@code /analytics/report} from an analytics admin port, as a dashboard would. */
public final class ReportClient {
  private ReportClient() {}

  public static Report fetch(int adminPort, String query) throws JsonProcessingException {
    HttpResponse<String> response = LoopbackHttp.get(adminPort, "/analytics/report?" + query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return ReportJson.mapper().readValue(response.body(), Report.class);
  }
}
