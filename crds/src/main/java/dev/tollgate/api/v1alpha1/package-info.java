/**
 * The {@code tollgate.dev/v1alpha1} custom resources {@link dev.tollgate.api.v1alpha1.Route} and
 * {@link dev.tollgate.api.v1alpha1.RateLimitPolicy}: plain Jackson POJOs from which the fabric8 CRD
 * generator derives the OpenAPI schema, defaults and CEL validation rules checked in under {@code
 * crds/generated/}.
 */
package dev.tollgate.api.v1alpha1;
