package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.api.common.ListType;
import dev.tollgate.api.common.StringItems;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Build step run after the fabric8 CRD generator (exec:java in {@code process-test-classes}): adds
 * the schema parts the generator 7.5 cannot express, read from the model's {@link ListType} and
 * {@link StringItems} annotations, and the declared order of printer columns, to the generated CRD
 * files in place. Lives in test sources so the published jar carries no build tooling.
 */
public final class CrdSchemaPostProcessor {
  static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(Route.class, RateLimitPolicy.class);
  static final String HEADER =
      "# Generated from dev.tollgate.api.v1alpha1 by the fabric8 CRD generator and"
          + " CrdSchemaPostProcessor.\n"
          + "# Do not edit: ./mvnw -pl crds -am -Pcrd-refresh process-test-classes rewrites it.\n";

  private static final ObjectMapper YAML =
      YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();

  private CrdSchemaPostProcessor() {}

  /** {@code args[0]}: the directory the generator wrote {@code <plural>.<group>-v1.yml} into. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
      Path file = dir.resolve(CustomResource.getCRDName(kind) + "-v1.yml");
      Files.writeString(
          file, HEADER + YAML.writeValueAsString(process(YAML.readTree(file.toFile()), kind)));
    }
  }

  static JsonNode process(JsonNode crd, Class<?> kind) {
    Type[] specAndStatus =
        ((ParameterizedType) kind.getGenericSuperclass()).getActualTypeArguments();
    for (JsonNode version : crd.path("spec").path("versions")) {
      JsonNode properties = version.path("schema").path("openAPIV3Schema").path("properties");
      extend((Class<?>) specAndStatus[0], properties.path("spec"));
      extend((Class<?>) specAndStatus[1], properties.path("status"));
      orderPrinterColumns(kind, version.path("additionalPrinterColumns"));
    }
    return crd;
  }

  /**
   * The generator sorts printer columns by JSON path; kubectl shows them in the order the kind
   * declares them (Age last, as for built-in kinds).
   */
  private static void orderPrinterColumns(Class<?> kind, JsonNode columns) {
    if (columns instanceof ArrayNode array) {
      List<String> declared =
          Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      List<JsonNode> sorted = new ArrayList<>();
      array.forEach(sorted::add);
      sorted.sort(
          Comparator.comparingInt(column -> declared.indexOf(column.path("name").asText())));
      array.removeAll();
      array.addAll(sorted);
    }
  }

  private static void extend(Class<?> type, JsonNode schema) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        JsonNode property = schema.path("properties").path(field.getName());
        if (!Modifier.isStatic(field.getModifiers()) && property instanceof ObjectNode node) {
          annotate(field, node);
          descend(field, node);
        }
      }
    }
  }

  private static void annotate(Field field, ObjectNode property) {
    ListType listType = field.getAnnotation(ListType.class);
    if (listType != null) {
      property.put("x-kubernetes-list-type", listType.value().schemaValue());
      if (listType.mapKeys().length > 0) {
        ArrayNode keys = property.putArray("x-kubernetes-list-map-keys");
        List.of(listType.mapKeys()).forEach(keys::add);
      }
    }
    StringItems items = field.getAnnotation(StringItems.class);
    if (items != null) {
      ObjectNode itemSchema = (ObjectNode) property.get("items");
      itemSchema.put("maxLength", items.maxLength());
      if (!items.pattern().isEmpty()) {
        itemSchema.put("pattern", items.pattern());
      }
    }
  }

  /** Follows the field into the schema of its own type, list element or map value. */
  private static void descend(Field field, ObjectNode property) {
    Type generic = field.getGenericType();
    if (generic instanceof ParameterizedType parameterized) {
      Type[] args = parameterized.getActualTypeArguments();
      if (List.class.isAssignableFrom(field.getType()) && args[0] instanceof Class<?> element) {
        extendModelType(element, property.path("items"));
      } else if (Map.class.isAssignableFrom(field.getType()) && args[1] instanceof Class<?> value) {
        extendModelType(value, property.path("additionalProperties"));
      }
    } else {
      extendModelType(field.getType(), property);
    }
  }

  private static void extendModelType(Class<?> type, JsonNode schema) {
    if (!type.isEnum() && type.getPackageName().startsWith("dev.tollgate.api")) {
      extend(type, schema);
    }
  }
}
