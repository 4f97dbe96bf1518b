/**
 * Route reconciler: backend resolution, its pure {@code Accepted} decision, and the Route to
 * Service / EndpointSlice mappers.
 */
package dev.tollgate.operator.reconciler.route;
