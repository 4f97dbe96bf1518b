package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.Objects;

/** Client authentication a {@link Route} demands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteAuth {
  /** What a route does with the bearer JWT. */
  public enum JwtMode {
    /** No valid token: 401. */
    @JsonProperty("required")
    REQUIRED,
    /** A token, if sent, must be valid (else 401); requests without one pass anonymously. */
    @JsonProperty("optional")
    OPTIONAL,
    /** Tokens are not inspected; JWT-claim limit keys see no claims. */
    @JsonProperty("none")
    NONE
  }

  @Default("none")
  @JsonPropertyDescription("required | optional | none (default none).")
  private JwtMode jwt = JwtMode.NONE;

  public JwtMode getJwt() {
    return jwt;
  }

  public void setJwt(JwtMode jwt) {
    this.jwt = jwt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteAuth other && Objects.equals(jwt, other.jwt);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(jwt);
  }
}
