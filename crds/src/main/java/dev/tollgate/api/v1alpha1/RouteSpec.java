package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.ListType;
import dev.tollgate.api.common.Patterns;
import dev.tollgate.api.common.StringItems;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** Desired state of a {@link Route}: which requests it matches and where they go. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.rewrite) || has(self.match.pathPrefix)",
    fieldPath = ".rewrite",
    message = "rewrite.replacePrefix needs match.pathPrefix")
public class RouteSpec {
  @JsonPropertyDescription(
      "Host names (Host header, without port) this route serves; empty or absent = any host.")
  @Size(max = 16)
  @ListType(ListType.Kind.SET)
  @StringItems(pattern = Patterns.HOST, maxLength = 253)
  private List<String> hosts;

  @Required
  @JsonPropertyDescription("Which requests this route matches.")
  private RouteMatch match;

  @JsonPropertyDescription("How the path is rewritten before proxying; absent = unchanged.")
  private RouteRewrite rewrite;

  @Required
  @JsonPropertyDescription("Where matched requests are proxied to.")
  private RouteBackend backend;

  @JsonPropertyDescription("Client authentication; absent = jwt: none.")
  private RouteAuth auth;

  public List<String> getHosts() {
    return hosts;
  }

  public void setHosts(List<String> hosts) {
    this.hosts = hosts;
  }

  public RouteMatch getMatch() {
    return match;
  }

  public void setMatch(RouteMatch match) {
    this.match = match;
  }

  public RouteRewrite getRewrite() {
    return rewrite;
  }

  public void setRewrite(RouteRewrite rewrite) {
    this.rewrite = rewrite;
  }

  public RouteBackend getBackend() {
    return backend;
  }

  public void setBackend(RouteBackend backend) {
    this.backend = backend;
  }

  public RouteAuth getAuth() {
    return auth;
  }

  public void setAuth(RouteAuth auth) {
    this.auth = auth;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteSpec other
        && Objects.equals(hosts, other.hosts)
        && Objects.equals(match, other.match)
        && Objects.equals(rewrite, other.rewrite)
        && Objects.equals(backend, other.backend)
        && Objects.equals(auth, other.auth);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hosts, match, rewrite, backend, auth);
  }
}
