/**
 * The service's one settings parser ({@code TOLLGATE_*} variables and {@code --flags}), read by the
 * wiring and handed to the consumer and the surge detector; it depends on no other package of the
 * service.
 */
package dev.tollgate.analytics.settings;
