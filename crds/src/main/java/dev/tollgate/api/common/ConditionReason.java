package dev.tollgate.api.common;

/** Reasons for {@link Condition}s; each names the cause a user acts on. */
public final class ConditionReason {
  /** Accepted=True: spec valid, all references resolved. */
  public static final String ACCEPTED = "Accepted";

  /** Accepted=False: the spec passed the schema but fails a check only Java can make. */
  public static final String INVALID = "Invalid";

  /** Accepted=False: a policy's targetRef names a Route that does not exist in the namespace. */
  public static final String TARGET_NOT_FOUND = "TargetNotFound";

  /** Accepted=False: the Route's backend Service, or the port it names, does not exist. */
  public static final String SERVICE_NOT_FOUND = "ServiceNotFound";

  /**
   * Accepted=False: the Route's Service has no ready endpoint; the Route stays in the config so
   * requests get 503 (not 404) until one is ready.
   */
  public static final String NO_READY_ENDPOINTS = "NoReadyEndpoints";

  /**
   * Accepted=False: the Route lists a host that belongs to another namespace (the namespace of the
   * oldest Route that lists it); the Route is left out of the config.
   */
  public static final String HOST_CONFLICT = "HostConflict";

  /** Programmed=True: included in the config version named in the message. */
  public static final String PROGRAMMED = "Programmed";

  /** Programmed=False/Unknown: accepted, but no config version containing it written yet. */
  public static final String PENDING = "Pending";

  /** Programmed=False: writing the snapshot to Redis failed. */
  public static final String WRITE_FAILED = "WriteFailed";

  /**
   * Programmed=False: in a stored config version, but at least one live gateway left it out (it
   * cannot serve it; the message says why and how many).
   */
  public static final String REFUSED_BY_GATEWAY = "RefusedByGateway";

  /** Programmed=False: not part of the snapshot because Accepted is False. */
  public static final String NOT_ACCEPTED = "NotAccepted";

  /** Unknown: the reconciler failed with an exception; the message carries it. */
  public static final String RECONCILE_ERROR = "ReconcileError";

  private ConditionReason() {}
}
