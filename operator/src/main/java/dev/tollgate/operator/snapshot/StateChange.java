package dev.tollgate.operator.snapshot;

import dev.tollgate.rules.ResourceId;
import java.util.Set;

/**
 * Which resources' {@code Programmed} condition a change of the {@link SnapshotState} may have
 * changed: a few named ones (an edit: the resource whose entry changed, and later those the
 * gateways' moving versions crossed), or all (writes started or stopped failing, a gateway came or
 * went). With 20,000 resources, waking only the named ones keeps a single edit from costing 20,000
 * reconciles.
 *
 * @param all every resource, whatever {@code resources} says
 */
public record StateChange(boolean all, Set<ResourceId> resources) {
  public static final StateChange EVERYTHING = new StateChange(true, Set.of());

  public StateChange {
    resources = Set.copyOf(resources);
  }

  public static StateChange of(Set<ResourceId> resources) {
    return new StateChange(false, resources);
  }

  public boolean isEmpty() {
    return !all && resources.isEmpty();
  }
}
