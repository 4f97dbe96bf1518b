package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.Patterns;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A Service in the Route's namespace and the Service port to send traffic to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceRef {
  @Required
  @JsonPropertyDescription("Service name.")
  @Pattern(Patterns.DNS1035_LABEL)
  @Size(max = 63)
  private String name;

  @Required
  @JsonPropertyDescription("Service port number (spec.ports[].port, not the targetPort).")
  @Min(1)
  @Max(65535)
  private Integer port;

  public ServiceRef() {}

  public ServiceRef(String name, int port) {
    this.name = name;
    this.port = port;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceRef other
        && Objects.equals(name, other.name)
        && Objects.equals(port, other.port);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, port);
  }
}
