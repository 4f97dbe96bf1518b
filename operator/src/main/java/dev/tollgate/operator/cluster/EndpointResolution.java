package dev.tollgate.operator.cluster;

import java.util.List;

/**
 * The upstream base URLs a Route's backend resolves to, or why it resolves to none.
 *
 * @param endpoints sorted, distinct {@code http://host:port} URLs; empty unless {@code RESOLVED}
 * @param detail a human sentence for status messages and Events
 * @param appProtocol the Service port's {@code appProtocol}; null when it names none or the backend
 *     is not a Service
 */
public record EndpointResolution(
    Outcome outcome, List<String> endpoints, String detail, String appProtocol) {
  /** Outcomes; each except RESOLVED maps to an {@code Accepted=False} reason. */
  public enum Outcome {
    RESOLVED,
    SERVICE_NOT_FOUND,
    PORT_NOT_FOUND,
    NO_READY_ENDPOINTS
  }

  public EndpointResolution {
    endpoints = List.copyOf(endpoints);
  }

  public static EndpointResolution resolved(List<String> endpoints, String detail) {
    return new EndpointResolution(Outcome.RESOLVED, endpoints, detail, null);
  }

  public static EndpointResolution unresolved(Outcome outcome, String detail) {
    return new EndpointResolution(outcome, List.of(), detail, null);
  }

  /** This resolution, with the Service port's {@code appProtocol}. */
  public EndpointResolution withAppProtocol(String protocol) {
    return new EndpointResolution(outcome, endpoints, detail, protocol);
  }
}
