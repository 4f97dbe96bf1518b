package dev.tollgate.operator.feedback;

import dev.tollgate.rules.RejectionReport;
import java.util.List;

/**
 * What the live gateway pods of the instance report, as read from the feedback hash: the version
 * each serves, and, for those that left resources out, which and why.
 *
 * @param servedVersions one entry per live pod, sorted
 * @param rejections one entry per live pod that left something out of the version it serves
 */
public record FleetReport(List<Long> servedVersions, List<Rejections> rejections) {
  public static final FleetReport EMPTY = new FleetReport(List.of(), List.of());

  /** One pod's left-out resources, in the version it serves. */
  public record Rejections(long servedVersion, RejectionReport report) {}

  public FleetReport {
    servedVersions = List.copyOf(servedVersions);
    rejections = List.copyOf(rejections);
  }
}
