package dev.tollgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.rules.Problem;
import dev.tollgate.rules.ResourceId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's configuration as this gateway holds it: every entry by resource, the version, the
 * lineage it belongs to and the leader epoch that wrote it, kept current from {@link
 * ConfigScripts#READ_CONFIG} replies. A reply of changes updates only the entries it names; one
 * with every entry replaces them all. Each entry is parsed on its own: one that does not parse (or
 * names another resource than its field) is held as unreadable and left out of the configuration
 * like a resource the rulebook refuses; only a reply whose shape is wrong is refused as a whole.
 *
 * <p>Versions only move forward: a reply of a version at or below the held one changes nothing. Not
 * thread-safe: used by the config source's worker only.
 */
final class HeldConfig {
  private static final ObjectReader ROUTE = ApiJson.mapper().readerFor(SnapshotRoute.class);
  private static final ObjectReader POLICY = ApiJson.mapper().readerFor(SnapshotPolicy.class);
  private static final ObjectReader HTTP_ROUTE =
      ApiJson.mapper().readerFor(SnapshotHttpRoute.class);
  private static final Comparator<ResourceId> ORDER =
      Comparator.comparing(ResourceId::kind)
          .thenComparing(ResourceId::namespace)
          .thenComparing(ResourceId::name);

  /** An entry that is there but cannot be read. */
  private record Unreadable(Problem problem) {}

  private final String origin;
  private final Map<ResourceId, Object> entries = new TreeMap<>(ORDER);
  private long version;
  private String lineage = "";
  private long epoch;

  /**
   * @param origin where the entries are, named in every problem
   */
  HeldConfig(String origin) {
    this.origin = origin;
  }

  long version() {
    return version;
  }

  String lineage() {
    return lineage;
  }

  long epoch() {
    return epoch;
  }

  /** Drops everything held, so the next read asks for every entry. */
  void forget() {
    entries.clear();
    version = 0;
    lineage = "";
  }

  /**
   * Applies a {@link ConfigScripts#READ_CONFIG} reply.
   *
   * @return true when it held a newer version, now held
   * @throws ConfigValidationException when the reply cannot be read at all (nothing changed)
   */
  boolean apply(List<Object> reply) throws ConfigValidationException {
    if (reply == null || reply.isEmpty() || !(reply.getFirst() instanceof Long replyVersion)) {
      throw unreadable("the version is missing");
    }
    if (reply.size() == 1 || replyVersion <= version) {
      return false;
    }
    if (reply.size() < 4
        || !(reply.get(1) instanceof Long replyEpoch)
        || !(reply.get(2) instanceof String replyLineage)
        || !(reply.get(3) instanceof String mode)
        || !(mode.equals("diff") || mode.equals("full"))
        || reply.size() % 2 != 0) {
      throw unreadable("a reply of unexpected shape");
    }
    Map<ResourceId, Object> read = new TreeMap<>(ORDER);
    for (int i = 4; i < reply.size(); i += 2) {
      if (!(reply.get(i) instanceof String field) || !(reply.get(i + 1) instanceof String json)) {
        throw unreadable("an entry of unexpected shape");
      }
      // A field no kind of this gateway's: a newer operator's, which this one cannot serve.
      ResourceId.fromKey(field)
          .ifPresent(id -> read.put(id, json.isEmpty() ? null : parse(id, json)));
    }
    if (mode.equals("full")) {
      entries.clear();
    }
    read.forEach(
        (id, entry) -> {
          if (entry == null) {
            entries.remove(id);
          } else {
            entries.put(id, entry);
          }
        });
    version = replyVersion;
    epoch = replyEpoch;
    lineage = replyLineage;
    return true;
  }

  /** The held configuration, readable entries only, by kind, namespace and name. */
  ConfigSnapshot snapshot() {
    List<SnapshotRoute> routes = new ArrayList<>();
    List<SnapshotPolicy> policies = new ArrayList<>();
    List<SnapshotHttpRoute> httpRoutes = new ArrayList<>();
    entries
        .values()
        .forEach(
            entry -> {
              switch (entry) {
                case SnapshotRoute route -> routes.add(route);
                case SnapshotPolicy policy -> policies.add(policy);
                case SnapshotHttpRoute route -> httpRoutes.add(route);
                default -> {}
              }
            });
    return new ConfigSnapshot(version, routes, policies, httpRoutes);
  }

  /** The held entries that cannot be read, each with why. */
  Rejections unreadable() {
    Rejections unreadable = new Rejections();
    entries.forEach(
        (id, entry) -> {
          if (entry instanceof Unreadable u) {
            unreadable.add(id, u.problem());
          }
        });
    return unreadable;
  }

  private static Object parse(ResourceId id, String json) {
    try {
      Object entry =
          switch (id.kind()) {
            case ROUTE -> ROUTE.readValue(json);
            case RATE_LIMIT_POLICY -> POLICY.readValue(json);
            case HTTP_ROUTE -> HTTP_ROUTE.readValue(json);
          };
      ResourceId named =
          switch (entry) {
            case SnapshotRoute route -> ResourceId.of(route);
            case SnapshotPolicy policy -> ResourceId.of(policy);
            case SnapshotHttpRoute route -> ResourceId.of(route);
            default -> null;
          };
      return id.equals(named)
          ? entry
          : new Unreadable(Problem.invalid("metadata.name", "its entry names " + named));
    } catch (JsonProcessingException | RuntimeException e) {
      return new Unreadable(
          Problem.invalid("", "its entry cannot be read: " + ParseErrors.firstLine(e)));
    }
  }

  private ConfigValidationException unreadable(String what) {
    return new ConfigValidationException(origin + ": not a configuration: " + what);
  }
}
