package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintIT {

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = TollgateChart.lint();

    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    // Strict mode fails on warnings; informational notes (e.g. "icon is recommended") are all
    // that may remain.
    assertThat(result.getMessages())
        .allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
  }
}
