package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.Patterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * One part of a limit's bucket key; exactly one field is set, e.g. {@code {claim: sub}}, {@code
 * {header: X-Api-Key}}, {@code {clientIP: true}} or {@code {clientCertificate: true}}. A request
 * lacking the part (no such claim or header) is keyed by an empty value, so it shares one bucket
 * with all others lacking it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.claim) ? 1 : 0) + (has(self.header) ? 1 : 0) + (has(self.clientIP) ? 1 : 0)"
            + " + (has(self.path) ? 1 : 0) + (has(self.method) ? 1 : 0) + (has(self.route) ? 1 : 0)"
            + " + (has(self.clientCertificate) ? 1 : 0) == 1",
    message =
        "a key part sets exactly one of claim, header, clientIP, path, method, route or"
            + " clientCertificate")
@ValidationRule(
    value =
        "(!has(self.clientIP) || self.clientIP) && (!has(self.path) || self.path)"
            + " && (!has(self.method) || self.method) && (!has(self.route) || self.route)"
            + " && (!has(self.clientCertificate) || self.clientCertificate)",
    message = "clientIP, path, method, route and clientCertificate can only be set to true")
public class KeyPart {
  @JsonPropertyDescription("Value of this JWT claim (e.g. sub).")
  @Size(min = 1, max = 128)
  private String claim;

  @JsonPropertyDescription(
      "Value of this request header, one line as sent; an enforced limit refuses a request"
          + " that sends it on several lines (400).")
  @Pattern(Patterns.HEADER_NAME)
  @Size(max = 128)
  private String header;

  @JsonPropertyDescription("true: the client IP (peer, or trusted X-Forwarded-For hop).")
  private Boolean clientIP;

  @JsonPropertyDescription("true: the normalized request path.")
  private Boolean path;

  @JsonPropertyDescription("true: the HTTP method.")
  private Boolean method;

  @JsonPropertyDescription("true: the matched Route's namespace/name.")
  private Boolean route;

  @JsonPropertyDescription(
      "true: the subject (RFC 2253 distinguished name) of the client certificate verified on the"
          + " HTTPS listener (mTLS); requests without one share one bucket.")
  private Boolean clientCertificate;

  public static KeyPart claim(String name) {
    KeyPart part = new KeyPart();
    part.setClaim(name);
    return part;
  }

  public static KeyPart header(String name) {
    KeyPart part = new KeyPart();
    part.setHeader(name);
    return part;
  }

  public String getClaim() {
    return claim;
  }

  public void setClaim(String claim) {
    this.claim = claim;
  }

  public String getHeader() {
    return header;
  }

  public void setHeader(String header) {
    this.header = header;
  }

  public Boolean getClientIP() {
    return clientIP;
  }

  public void setClientIP(Boolean clientIP) {
    this.clientIP = clientIP;
  }

  public Boolean getPath() {
    return path;
  }

  public void setPath(Boolean path) {
    this.path = path;
  }

  public Boolean getMethod() {
    return method;
  }

  public void setMethod(Boolean method) {
    this.method = method;
  }

  public Boolean getRoute() {
    return route;
  }

  public void setRoute(Boolean route) {
    this.route = route;
  }

  public Boolean getClientCertificate() {
    return clientCertificate;
  }

  public void setClientCertificate(Boolean clientCertificate) {
    this.clientCertificate = clientCertificate;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPart other
        && Objects.equals(claim, other.claim)
        && Objects.equals(header, other.header)
        && Objects.equals(clientIP, other.clientIP)
        && Objects.equals(path, other.path)
        && Objects.equals(method, other.method)
        && Objects.equals(route, other.route)
        && Objects.equals(clientCertificate, other.clientCertificate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(claim, header, clientIP, path, method, route, clientCertificate);
  }
}
