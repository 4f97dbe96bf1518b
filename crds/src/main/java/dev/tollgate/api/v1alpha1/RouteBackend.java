package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.api.common.ListType;
import dev.tollgate.api.common.Patterns;
import dev.tollgate.api.common.StringItems;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link Route}'s requests go (exactly one of a Service or static endpoints) and how the
 * gateway talks to it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.service) != has(self.endpoints)",
    message = "exactly one of service or endpoints must be set")
@ValidationRule(
    value = RouteBackend.PROTOCOL_MATCHES_SCHEME_RULE,
    message = RouteBackend.PROTOCOL_MATCHES_SCHEME_MESSAGE,
    fieldPath = ".protocol")
public class RouteBackend {
  /**
   * The HTTP version the upstream speaks. HTTP/2 ({@code h2c} in plain text, {@code h2} over TLS)
   * carries gRPC calls; other requests go over HTTP/1.1 whatever the protocol.
   */
  public enum Protocol {
    @JsonProperty("http/1.1")
    HTTP1,
    @JsonProperty("h2c")
    H2C,
    @JsonProperty("h2")
    H2
  }

  /** Static endpoints name their transport by scheme; the protocol must agree with it. */
  static final String PROTOCOL_MATCHES_SCHEME_RULE =
      "!has(self.protocol) || !has(self.endpoints)"
          + " || (self.protocol == 'h2c' && self.endpoints.all(e, e.startsWith('http://')))"
          + " || (self.protocol == 'h2' && self.endpoints.all(e, e.startsWith('https://')))"
          + " || self.protocol == 'http/1.1'";

  public static final String PROTOCOL_MATCHES_SCHEME_MESSAGE =
      "protocol h2c needs http:// endpoints, h2 needs https:// endpoints";

  /** How the gateway picks one of the backend's endpoints per request. */
  public enum LoadBalancer {
    @JsonProperty("round-robin")
    ROUND_ROBIN,
    @JsonProperty("least-request")
    LEAST_REQUEST,
    @JsonProperty("random")
    RANDOM
  }

  /**
   * Default upstream timeout: long enough for ordinary API calls, short enough that a stuck
   * upstream frees the client within a typical client-side timeout (15 s is also Envoy's route
   * default).
   */
  public static final String DEFAULT_TIMEOUT = "15s";

  @JsonPropertyDescription(
      "Kubernetes Service in the route's namespace; its ready EndpointSlice endpoints (or an"
          + " ExternalName) receive the traffic.")
  private ServiceRef service;

  @JsonPropertyDescription(
      "Static upstream base URLs (http://host:port), instead of service (standalone mode).")
  @Size(min = 1, max = 64)
  @ListType(ListType.Kind.SET)
  @StringItems(pattern = Patterns.ENDPOINT_URL, maxLength = 256)
  private List<String> endpoints;

  @Default("round-robin")
  @JsonPropertyDescription("round-robin | least-request | random (default round-robin).")
  private LoadBalancer loadBalancer = LoadBalancer.ROUND_ROBIN;

  @Default(DEFAULT_TIMEOUT)
  @Pattern(DurationStrings.PATTERN)
  @JsonPropertyDescription(
      "Time to wait for the upstream's response headers, e.g. 500ms, 5s, 1m (default 15s).")
  private String timeout = DEFAULT_TIMEOUT;

  @JsonPropertyDescription(
      "http/1.1 | h2c (HTTP/2 in plain text) | h2 (HTTP/2 over TLS): how gRPC calls reach the"
          + " upstream. Absent: the Service port's appProtocol (kubernetes.io/h2c means h2c),"
          + " otherwise http/1.1.")
  private Protocol protocol;

  @JsonPropertyDescription("Retries of failed attempts (idempotent methods only); absent = none.")
  private Retries retries;

  @JsonPropertyDescription("Per-endpoint circuit breaker; absent = the defaults of its fields.")
  private CircuitBreaker circuitBreaker;

  public ServiceRef getService() {
    return service;
  }

  public void setService(ServiceRef service) {
    this.service = service;
  }

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public LoadBalancer getLoadBalancer() {
    return loadBalancer;
  }

  public void setLoadBalancer(LoadBalancer loadBalancer) {
    this.loadBalancer = loadBalancer;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Protocol getProtocol() {
    return protocol;
  }

  public void setProtocol(Protocol protocol) {
    this.protocol = protocol;
  }

  public Retries getRetries() {
    return retries;
  }

  public void setRetries(Retries retries) {
    this.retries = retries;
  }

  public CircuitBreaker getCircuitBreaker() {
    return circuitBreaker;
  }

  public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
    this.circuitBreaker = circuitBreaker;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteBackend other
        && Objects.equals(service, other.service)
        && Objects.equals(endpoints, other.endpoints)
        && Objects.equals(loadBalancer, other.loadBalancer)
        && Objects.equals(timeout, other.timeout)
        && Objects.equals(protocol, other.protocol)
        && Objects.equals(retries, other.retries)
        && Objects.equals(circuitBreaker, other.circuitBreaker);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        service, endpoints, loadBalancer, timeout, protocol, retries, circuitBreaker);
  }
}
