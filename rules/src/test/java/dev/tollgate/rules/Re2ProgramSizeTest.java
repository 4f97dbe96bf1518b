package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The estimate from a pattern's text against the size RE2 really compiles it into. */
class Re2ProgramSizeTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/items/[0-9]+",
        "/api/v[0-9]+/[a-z0-9-]{1,64}",
        "(?i)/api/v[0-9]+/(users|orders|items)/[a-z0-9-]{1,64}(/.*)?",
        "/u/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "/x/(?:[a-z]{10}){10,20}",
        "/x/(a{2,}){3}",
        "/x/[]{}]{5}",
        "/x/[^]a-z[:digit:]]{40}",
        "/x/\\p{Greek}{30}\\x{263a}{3}",
        "/x/\\Qa{1000}\\E",
        "(a{100}){100}",
        "/x/a{1000}|b{1000}|(c{10}){100}",
        "/x/{a}{,3}{1000",
      })
  void estimatesTheCompiledSizeWithinAFewInstructionsPerGroup(String regex) {
    int compiled = Pattern.compile(regex).programSize();

    assertThat(Re2ProgramSize.estimate(regex))
        .isGreaterThanOrEqualTo(compiled / 2)
        .isLessThanOrEqualTo(2L * compiled + 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"((a{1000}){1000}){1000}", "(((((a{9}){9}){9}){9}){9}){9}"})
  void estimatesAPatternTooLargeToCompileWithoutCompilingIt(String regex) {
    assertThat(Re2ProgramSize.estimate(regex)).isGreaterThan(Re2ProgramSize.MAX_ESTIMATE);
  }
}
