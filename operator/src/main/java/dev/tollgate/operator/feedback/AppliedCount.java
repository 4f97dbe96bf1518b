package dev.tollgate.operator.feedback;

import java.util.Collection;

/**
 * How many live gateways serve a config version at least as new as {@code version}: the figure in
 * the {@code Programmed} message, e.g. {@code config v42 applied by 2/3 gateways}.
 */
public record AppliedCount(long version, int applied, int live) {

  /**
   * @param servedVersions one entry per live gateway pod (its feedback key has not expired)
   */
  public static AppliedCount of(long version, Collection<Long> servedVersions) {
    int applied = (int) servedVersions.stream().filter(v -> v >= version).count();
    return new AppliedCount(version, applied, servedVersions.size());
  }

  public boolean complete() {
    return live > 0 && applied == live;
  }

  public String message() {
    return "config v" + version + " applied by " + applied + "/" + live + " gateways";
  }
}
