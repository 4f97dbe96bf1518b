package dev.tollgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.common.ApiJson;
import io.fabric8.generator.annotation.Default;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API server fills schema defaults ({@code @Default}); the standalone gateway reads YAML with
 * no API server and relies on the Java field initializers instead. Both must agree, or the same
 * manifest would behave differently in the two modes.
 */
class JavaDefaultsMatchSchemaDefaultsTest {
  final ObjectMapper json = ApiJson.mapper();

  @ParameterizedTest
  @ValueSource(
      classes = {
        RouteAuth.class,
        RouteBackend.class,
        Retries.class,
        CircuitBreaker.class,
        RateLimitPolicySpec.class,
        Limit.class
      })
  void initializerEqualsSchemaDefault(Class<?> type) throws Exception {
    Object fresh = type.getDeclaredConstructor().newInstance();
    List<Field> defaulted =
        Arrays.stream(type.getDeclaredFields())
            .filter(f -> f.isAnnotationPresent(Default.class))
            .toList();

    assertThat(defaulted).isNotEmpty();
    for (Field field : defaulted) {
      field.setAccessible(true);
      JsonNode initial = json.valueToTree(field.get(fresh));
      assertThat(initial)
          .as("%s.%s", type.getSimpleName(), field.getName())
          .isEqualTo(schemaDefault(field.getAnnotation(Default.class).value(), initial));
    }
  }

  /** As the generator reads {@code @Default}: JSON if it parses as the field's kind, else text. */
  private JsonNode schemaDefault(String value, JsonNode like) throws JsonProcessingException {
    return like.isTextual() ? json.getNodeFactory().textNode(value) : json.readTree(value);
  }
}
