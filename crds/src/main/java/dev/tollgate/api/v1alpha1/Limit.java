package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One named limit of a {@link RateLimitPolicySpec}: an algorithm, a rate, and the key that splits
 * traffic into separately limited buckets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = LimitRules.COST_FITS_CAPACITY,
    fieldPath = ".cost",
    message =
        "cost must not exceed the capacity, burst for token-bucket and gcra (rate.requests when"
            + " burst is unset), else rate.requests: such a request could never be allowed")
@ValidationRule(
    value = "has(self.window) || has(self.rate.period)",
    fieldPath = ".rate.period",
    message = "rate.period is required unless the limit has a calendar window")
@ValidationRule(
    value = "!has(self.window) || !has(self.rate.period)",
    fieldPath = ".window",
    message = "a calendar window replaces rate.period: set one of them, not both")
@ValidationRule(
    value = "!has(self.window) || self.algorithm == 'fixed-window'",
    fieldPath = ".window",
    message = "a calendar window needs algorithm: fixed-window")
@ValidationRule(
    value = LimitRules.TIERS_FOLLOW_THE_WINDOW,
    fieldPath = ".tiers",
    message =
        "a tier's rate sets a period exactly when the limit does: with a calendar window, tiers"
            + " set only rate.requests")
@ValidationRule(
    value = LimitRules.LIMIT_REFILLS_WITHIN_366_DAYS,
    fieldPath = ".burst",
    message =
        "burst must refill within 366 days: burst x rate.period must not exceed rate.requests x"
            + " 8784h")
@ValidationRule(
    value = LimitRules.TIERS_REFILL_WITHIN_366_DAYS,
    fieldPath = ".tiers",
    message =
        "a tier's burst must refill within 366 days: burst x rate.period must not exceed"
            + " rate.requests x 8784h")
@ValidationRule(
    value = LimitRules.SLIDING_LOG_AT_MOST_100000,
    fieldPath = ".rate.requests",
    message =
        "sliding-log keeps one entry per request: rate.requests must not exceed 100000 (use"
            + " sliding-window or fixed-window)")
@ValidationRule(
    value = LimitRules.TIERS_SLIDING_LOG_AT_MOST_100000,
    fieldPath = ".tiers",
    message =
        "sliding-log keeps one entry per request: a tier's rate.requests must not exceed 100000")
@ValidationRule(
    value = LimitRules.TIERS_FIT_COST,
    fieldPath = ".tiers",
    message =
        "cost must not exceed any tier's capacity, its burst for token-bucket and gcra (its"
            + " rate.requests when burst is unset), else its rate.requests: a request of that tier"
            + " could never be allowed")
public class Limit {
  /** The limiting algorithm; each has a Lua script and an in-process twin. */
  public enum Algorithm {
    @JsonProperty("token-bucket")
    TOKEN_BUCKET,
    @JsonProperty("gcra")
    GCRA,
    @JsonProperty("sliding-window")
    SLIDING_WINDOW,
    @JsonProperty("sliding-log")
    SLIDING_LOG,
    @JsonProperty("fixed-window")
    FIXED_WINDOW;

    /** The name in a policy, e.g. {@code token-bucket}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  @Required
  @JsonPropertyDescription(
      "Name, unique in the policy; shows in RateLimit headers and metrics. Lowercase letters,"
          + " digits and '-'.")
  @Pattern(Patterns.DNS1123_LABEL)
  @Size(max = 63)
  private String name;

  @Default("token-bucket")
  @JsonPropertyDescription(
      "token-bucket | gcra | sliding-window | sliding-log | fixed-window (default token-bucket).")
  private Algorithm algorithm = Algorithm.TOKEN_BUCKET;

  @Required
  @JsonPropertyDescription(
      "Sustained rate: requests per period (or per calendar window, when window is set).")
  private Rate rate;

  @JsonPropertyDescription(
      "A calendar window instead of rate.period (fixed-window only): the quota resets at local"
          + " midnight in timeZone every day, every Monday or on the 1st of every month.")
  private LimitWindow window;

  @JsonPropertyDescription(
      "Largest burst allowed (token-bucket capacity, GCRA tolerance); default = rate.requests.")
  @Min(1)
  @Max(Rate.MAX_REQUESTS)
  private Integer burst;

  @Default("1")
  @Min(1)
  @Max(Rate.MAX_REQUESTS)
  @JsonPropertyDescription("Units each request consumes (default 1).")
  private Integer cost = 1;

  @JsonPropertyDescription(
      "Parts of the bucket key (claim | header | clientIP | path | method | route), joined in"
          + " order; empty or absent = one bucket shared by all requests.")
  @Size(max = 8)
  private List<KeyPart> key;

  @JsonPropertyDescription("Overrides of rate and burst by the value of a JWT claim.")
  private Tiers tiers;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Algorithm getAlgorithm() {
    return algorithm;
  }

  public void setAlgorithm(Algorithm algorithm) {
    this.algorithm = algorithm;
  }

  public Rate getRate() {
    return rate;
  }

  public void setRate(Rate rate) {
    this.rate = rate;
  }

  public LimitWindow getWindow() {
    return window;
  }

  public void setWindow(LimitWindow window) {
    this.window = window;
  }

  public Integer getBurst() {
    return burst;
  }

  public void setBurst(Integer burst) {
    this.burst = burst;
  }

  public Integer getCost() {
    return cost;
  }

  public void setCost(Integer cost) {
    this.cost = cost;
  }

  public List<KeyPart> getKey() {
    return key;
  }

  public void setKey(List<KeyPart> key) {
    this.key = key;
  }

  public Tiers getTiers() {
    return tiers;
  }

  public void setTiers(Tiers tiers) {
    this.tiers = tiers;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Limit other
        && Objects.equals(name, other.name)
        && Objects.equals(algorithm, other.algorithm)
        && Objects.equals(rate, other.rate)
        && Objects.equals(window, other.window)
        && Objects.equals(burst, other.burst)
        && Objects.equals(cost, other.cost)
        && Objects.equals(key, other.key)
        && Objects.equals(tiers, other.tiers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, algorithm, rate, window, burst, cost, key, tiers);
  }
}
