package dev.tollgate.api.common;

/** The three values of {@link Condition#getStatus()}. */
public final class ConditionStatus {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private ConditionStatus() {}
}
