package dev.tollgate.operator.gatewayapi;

/** The Gateway API's group, kinds, condition types and reasons that Tollgate writes. */
public final class GatewayApiNames {
  public static final String GROUP = "gateway.networking.k8s.io";
  public static final String GATEWAY = "Gateway";
  public static final String HTTP_ROUTE = "HTTPRoute";
  public static final String SERVICE = "Service";

  public static final String ACCEPTED = "Accepted";
  public static final String PROGRAMMED = "Programmed";
  public static final String RESOLVED_REFS = "ResolvedRefs";
  public static final String CONFLICTED = "Conflicted";

  public static final String REASON_ACCEPTED = "Accepted";
  public static final String REASON_PROGRAMMED = "Programmed";
  public static final String REASON_RESOLVED_REFS = "ResolvedRefs";
  public static final String REASON_NO_CONFLICTS = "NoConflicts";
  public static final String NOT_ALLOWED_BY_LISTENERS = "NotAllowedByListeners";
  public static final String NO_MATCHING_LISTENER_HOSTNAME = "NoMatchingListenerHostname";
  public static final String NO_MATCHING_PARENT = "NoMatchingParent";
  public static final String UNSUPPORTED_VALUE = "UnsupportedValue";
  public static final String REF_NOT_PERMITTED = "RefNotPermitted";
  public static final String INVALID_KIND = "InvalidKind";
  public static final String BACKEND_NOT_FOUND = "BackendNotFound";
  public static final String UNSUPPORTED_PROTOCOL = "UnsupportedProtocol";
  public static final String PORT_UNAVAILABLE = "PortUnavailable";
  public static final String INVALID_ROUTE_KINDS = "InvalidRouteKinds";
  public static final String LISTENERS_NOT_VALID = "ListenersNotValid";
  public static final String ADDRESS_NOT_ASSIGNED = "AddressNotAssigned";
  public static final String UNSUPPORTED_ADDRESS = "UnsupportedAddress";
  public static final String INVALID_PARAMETERS = "InvalidParameters";
  public static final String INVALID_CERTIFICATE_REF = "InvalidCertificateRef";
  public static final String INVALID = "Invalid";
  public static final String PENDING = "Pending";

  private GatewayApiNames() {}
}
