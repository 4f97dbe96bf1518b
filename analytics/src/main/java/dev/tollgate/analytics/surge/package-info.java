/** Detecting routes whose traffic surges, and the shared log of surge events. */
package dev.tollgate.analytics.surge;
