/**
 * The one log backend of Tollgate's runnable jars: {@link dev.tollgate.logging.LogSettings} (the
 * one reading of {@code TOLLGATE_LOG_FORMAT} and {@code TOLLGATE_LOG_LEVEL}) and {@link
 * dev.tollgate.logging.LogBackend} (Logback on stdout, JSON lines or text, with java.util.logging
 * and System.Logger routed into it). Code logs through the SLF4J API only.
 */
package dev.tollgate.logging;
