package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.ListType;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/**
 * Retries of a failed upstream attempt on another endpoint. Only idempotent methods (GET, HEAD,
 * OPTIONS, PUT, DELETE, TRACE) are retried: a POST that may have reached the upstream is never sent
 * twice.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Retries {
  /** Failures that trigger a retry. */
  public enum RetryOn {
    /** The TCP/TLS connection could not be established (nothing reached the upstream). */
    @JsonProperty("connect-failure")
    CONNECT_FAILURE,
    /** The connection was reset or closed before a response arrived. */
    @JsonProperty("reset")
    RESET,
    /** The upstream answered 502, 503 or 504. */
    @JsonProperty("gateway-error")
    GATEWAY_ERROR,
    /** The upstream answered any 5xx status. */
    @JsonProperty("5xx")
    SERVER_ERROR
  }

  @Default("1")
  @Min(1)
  @Max(5)
  @JsonPropertyDescription("Retries after the first attempt (default 1).")
  private Integer attempts = 1;

  @Default("[\"connect-failure\"]")
  @JsonPropertyDescription(
      "Failures to retry: connect-failure | reset | gateway-error | 5xx (default"
          + " [connect-failure]).")
  @Size(min = 1, max = 4)
  @ListType(ListType.Kind.SET)
  private List<RetryOn> retryOn = List.of(RetryOn.CONNECT_FAILURE);

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public List<RetryOn> getRetryOn() {
    return retryOn;
  }

  public void setRetryOn(List<RetryOn> retryOn) {
    this.retryOn = retryOn;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Retries other
        && Objects.equals(attempts, other.attempts)
        && Objects.equals(retryOn, other.retryOn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(attempts, retryOn);
  }
}
