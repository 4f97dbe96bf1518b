package dev.tollgate.api.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Constraints on each string of a {@code List<String>} field ({@code items.pattern}, {@code
 * items.maxLength}), which the fabric8 CRD generator 7.5 only takes from type-use annotations its
 * own annotations cannot be written as; the crds build adds them to the generated schema. Bounded
 * item length also keeps CEL rules over the list within the API server's cost budget.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface StringItems {
  /** ECMA/RE2 pattern each item must match; empty = none. */
  String pattern() default "";

  /** Maximum length of each item. */
  long maxLength();
}
