/** Reports over a window, built from the minute buckets, and their JSON, HTML and text forms. */
package dev.tollgate.analytics.report;
