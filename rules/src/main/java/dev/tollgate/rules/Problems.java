package dev.tollgate.rules;

import dev.tollgate.api.common.ConditionReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the {@link Problem}s of one resource while rules walk it; {@link #at(String)} gives a
 * view whose fields are relative to a path, so a rule for a limit writes {@code rate.period} and
 * the problem says {@code spec.limits[2].rate.period}.
 */
public final class Problems {
  private final List<Problem> all;
  private final String path;

  private Problems(List<Problem> all, String path) {
    this.all = all;
    this.path = path;
  }

  /** An empty collector at the resource's root. */
  public static Problems collect() {
    return new Problems(new ArrayList<>(), "");
  }

  /** The same collector, with fields relative to {@code field} ({@code [0]} appends an index). */
  public Problems at(String field) {
    return new Problems(all, join(path, field));
  }

  /** An {@link ConditionReason#INVALID} problem at {@code field} (relative; "" = this path). */
  public void add(String field, String message) {
    add(field, ConditionReason.INVALID, message);
  }

  public void add(String field, String reason, String message) {
    all.add(new Problem(join(path, field), reason, message));
  }

  public boolean isEmpty() {
    return all.isEmpty();
  }

  /** Everything collected so far, in the order the rules found it. */
  public List<Problem> list() {
    return List.copyOf(all);
  }

  private static String join(String path, String field) {
    if (path.isEmpty()) {
      return field;
    }
    if (field.isEmpty()) {
      return path;
    }
    return field.startsWith("[") ? path + field : path + "." + field;
  }
}
