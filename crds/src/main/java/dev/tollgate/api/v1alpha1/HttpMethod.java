package dev.tollgate.api.v1alpha1;

/** HTTP methods a {@link RouteMatch} can name; the YAML spelling is the constant's name. */
public enum HttpMethod {
  GET,
  HEAD,
  POST,
  PUT,
  PATCH,
  DELETE,
  OPTIONS,
  TRACE,
  CONNECT
}
