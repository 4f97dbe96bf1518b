/** The gateways' applied-version keys, read periodically for the {@code Programmed} counts. */
package dev.tollgate.operator.feedback;
