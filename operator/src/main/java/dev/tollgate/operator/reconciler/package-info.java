/**
 * What both reconcilers share: the status patch built from a fresh object, Warning Events, and the
 * event source that wakes resources when the stored snapshot or the gateway feedback changes.
 */
package dev.tollgate.operator.reconciler;
