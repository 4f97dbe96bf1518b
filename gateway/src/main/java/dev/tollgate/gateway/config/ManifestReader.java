package dev.tollgate.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.tollgate.api.common.ApiYaml;
import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.api.v1alpha1.RouteSpec;
import dev.tollgate.rules.ResourceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Route and RateLimitPolicy manifests (the YAML a user would {@code kubectl apply}) into a
 * {@link ConfigSnapshot}. Files may hold several documents. Routes must use static {@code
 * spec.backend.endpoints}: without Kubernetes there is no Service to resolve. Every problem is
 * reported with file, document number and field.
 */
final class ManifestReader {
  static final String API_VERSION = Route.GROUP + "/" + Route.VERSION;
  private static final String DEFAULT_NAMESPACE = "default";

  private final ObjectMapper yaml = ApiYaml.mapper();
  private final List<SnapshotRoute> routes = new ArrayList<>();
  private final List<SnapshotPolicy> policies = new ArrayList<>();
  private final Map<ResourceId, String> locations = new HashMap<>();
  private final ManifestProblems problems = ManifestProblems.root();

  /** Adds the documents of one file. */
  void read(String fileName, String content) {
    int document = 0;
    try (JsonParser parser = yaml.createParser(content);
        MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(parser)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        document++;
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
          readDocument(fileName + " (document " + document + ")", doc);
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add(
          fileName + " (document " + (document + 1) + ")",
          "not valid YAML: " + ParseErrors.firstLine(e));
    }
  }

  ConfigSnapshot snapshot(long version) throws ConfigValidationException {
    problems.throwIfAny();
    return new ConfigSnapshot(version, routes, policies);
  }

  SourceLocations locations() {
    return new SourceLocations(locations);
  }

  private void readDocument(String where, JsonNode doc) {
    String kind = doc.path("kind").asText("");
    String apiVersion = doc.path("apiVersion").asText("");
    String name = doc.path("metadata").path("name").asText("");
    String namespace = doc.path("metadata").path("namespace").asText(DEFAULT_NAMESPACE);
    ManifestProblems at = problems.under(where + " " + kind + " " + namespace + "/" + name + ": ");
    if (!apiVersion.equals(API_VERSION)) {
      at.add("apiVersion", "must be " + API_VERSION + ", was '" + apiVersion + "'");
      return;
    }
    if (name.isEmpty()) {
      at.add("metadata.name", "required");
      return;
    }
    switch (kind) {
      case "Route" -> {
        RouteSpec spec = convert(doc.path("spec"), RouteSpec.class, at);
        if (spec == null) {
          return;
        }
        if (spec.getBackend() != null && spec.getBackend().getService() != null) {
          at.add(
              "spec.backend.service",
              "standalone mode cannot resolve Services; use spec.backend.endpoints");
          return;
        }
        List<String> endpoints =
            spec.getBackend() == null || spec.getBackend().getEndpoints() == null
                ? List.of()
                : spec.getBackend().getEndpoints();
        if (spec.getBackend() != null && endpoints.isEmpty()) {
          at.add("spec.backend.endpoints", "at least one endpoint is required");
          return;
        }
        routes.add(new SnapshotRoute(namespace, name, spec, endpoints));
        locations.put(
            ResourceId.route(namespace, name), where + " Route " + namespace + "/" + name);
      }
      case "RateLimitPolicy" -> {
        RateLimitPolicySpec spec = convert(doc.path("spec"), RateLimitPolicySpec.class, at);
        if (spec != null) {
          policies.add(new SnapshotPolicy(namespace, name, spec));
          locations.put(
              ResourceId.policy(namespace, name),
              where + " RateLimitPolicy " + namespace + "/" + name);
        }
      }
      default -> at.add("kind", "must be Route or RateLimitPolicy, was '" + kind + "'");
    }
  }

  private <T> T convert(JsonNode spec, Class<T> type, ManifestProblems at) {
    if (spec.isMissingNode() || spec.isNull()) {
      at.add("spec", "required");
      return null;
    }
    try {
      return yaml.treeToValue(spec, type);
    } catch (JsonMappingException e) {
      at.add(fieldPath(e), describe(e));
    } catch (JsonProcessingException e) {
      at.add("spec", ParseErrors.firstLine(e));
    }
    return null;
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder("spec");
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String describe(JsonMappingException e) {
    if (e instanceof InvalidFormatException invalid) {
      String allowed =
          invalid.getTargetType() != null && invalid.getTargetType().isEnum()
              ? " (see the field's allowed values in docs/gateway.md)"
              : "";
      return "invalid value '" + invalid.getValue() + "'" + allowed;
    }
    return "wrong type or shape: " + ParseErrors.firstLine(e);
  }
}
