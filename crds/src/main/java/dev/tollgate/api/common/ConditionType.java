package dev.tollgate.api.common;

/** The condition types Tollgate resources carry. */
public final class ConditionType {
  /** The spec is valid and everything it refers to exists (set by the resource's reconciler). */
  public static final String ACCEPTED = "Accepted";

  /** The resource is part of a config version written to Redis (set by the snapshot writer). */
  public static final String PROGRAMMED = "Programmed";

  private ConditionType() {}
}
