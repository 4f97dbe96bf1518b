package dev.tollgate.operator.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.rules.HostOwnership;
import dev.tollgate.rules.ResourceId;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespaces that own hosts in the configuration stored in Redis: those whose Routes serve
 * them. A leader reads them once, before its first compilation, so that host ownership carries over
 * a restart or a change of leader instead of falling back to the Routes' age (which would hand a
 * host to whichever older Route of another namespace lists it too).
 */
public final class StoredHostOwners {
  private static final Logger LOG = LoggerFactory.getLogger(StoredHostOwners.class);
  private static final ObjectMapper JSON = ApiJson.mapper();

  private StoredHostOwners() {}

  /** Host ({@link HostOwnership#ANY_HOST} for a Route without hosts) to owning namespace. */
  public static Map<String, String> read(
      RedisClusterCommands<String, String> redis, ConfigKeys keys) {
    Map<String, String> owners = new HashMap<>();
    redis
        .hgetall(keys.entries())
        .forEach(
            (field, json) ->
                ResourceId.fromKey(field)
                    .filter(id -> id.kind() == ResourceId.Kind.ROUTE)
                    .flatMap(id -> served(field, json))
                    .ifPresent(
                        route ->
                            route
                                .hosts()
                                .forEach(host -> owners.putIfAbsent(host, route.namespace()))));
    return Map.copyOf(owners);
  }

  private record Served(String namespace, List<String> hosts) {}

  private static Optional<Served> served(String field, String json) {
    try {
      SnapshotRoute route = JSON.readValue(json, SnapshotRoute.class);
      List<String> hosts =
          route.spec() == null
                  || route.spec().getHosts() == null
                  || route.spec().getHosts().isEmpty()
              ? List.of(HostOwnership.ANY_HOST)
              : route.spec().getHosts();
      return Optional.of(new Served(route.namespace(), hosts));
    } catch (JsonProcessingException e) {
      // an entry this version cannot read owns nothing here; the compilation judges by age
      LOG.warn("cannot read the stored entry {} for its hosts: {}", field, e.getOriginalMessage());
      return Optional.empty();
    }
  }
}
