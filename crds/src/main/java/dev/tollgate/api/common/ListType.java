package dev.tollgate.api.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kubernetes list topology of a list field ({@code x-kubernetes-list-type}, {@code
 * x-kubernetes-list-map-keys}), which the fabric8 CRD generator 7.5 cannot express; the crds build
 * adds it to the generated schema. {@code set} makes the API server refuse duplicates; {@code map}
 * refuses two items with the same keys and lets server-side apply merge items by key.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ListType {
  /** {@code x-kubernetes-list-type}. */
  Kind value();

  /** {@code x-kubernetes-list-map-keys}; only with {@link Kind#MAP}, each key must be required. */
  String[] mapKeys() default {};

  /** The list types Kubernetes knows. */
  enum Kind {
    ATOMIC("atomic"),
    SET("set"),
    MAP("map");

    private final String schemaValue;

    Kind(String schemaValue) {
      this.schemaValue = schemaValue;
    }

    public String schemaValue() {
      return schemaValue;
    }
  }
}
