package dev.tollgate.gateway.route;

/** Identity of a Route resource; {@code namespace/name} is also the {@code route} metric label. */
public record RouteId(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
