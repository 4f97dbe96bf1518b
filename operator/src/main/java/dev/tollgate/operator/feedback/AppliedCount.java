package dev.tollgate.operator.feedback;

import dev.tollgate.rules.ResourceId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * How many live gateways serve a config version at least as new as {@code version} with one
 * resource in it, and how many left that resource out: the figures in the {@code Programmed}
 * message, e.g. {@code config v42 applied by 2/3 gateways} or {@code config v42 refused by 1/3
 * gateways: spec...: ... (applied by 2/3)}.
 *
 * @param refusal why the first refusing gateway left it out, when any did
 */
public record AppliedCount(
    long version, int applied, int refused, int live, Optional<String> refusal) {

  /**
   * @param servedVersions one entry per live gateway pod (its feedback key has not expired)
   */
  public static AppliedCount of(long version, Collection<Long> servedVersions) {
    int applied = (int) servedVersions.stream().filter(v -> v >= version).count();
    return new AppliedCount(version, applied, 0, servedVersions.size(), Optional.empty());
  }

  /** The count for {@code resource}, whose current entry first appeared in {@code version}. */
  public static AppliedCount of(ResourceId resource, long version, FleetReport fleet) {
    List<String> refusals =
        fleet.rejections().stream()
            .filter(r -> r.servedVersion() >= version)
            .map(r -> r.report().reasons().get(resource))
            .filter(reason -> reason != null)
            .toList();
    AppliedCount served = of(version, fleet.servedVersions());
    return new AppliedCount(
        version,
        served.applied() - refusals.size(),
        refusals.size(),
        served.live(),
        refusals.stream().findFirst());
  }

  public boolean complete() {
    return live > 0 && applied == live;
  }

  public String message() {
    String applied = "applied by " + this.applied + "/" + live + " gateways";
    return refusal
        .map(
            why ->
                "config v"
                    + version
                    + " refused by "
                    + refused
                    + "/"
                    + live
                    + " gateways: "
                    + why
                    + " ("
                    + applied
                    + ")")
        .orElse("config v" + version + " " + applied);
  }
}
