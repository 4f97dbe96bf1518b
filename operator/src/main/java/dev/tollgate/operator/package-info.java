/**
 * The Tollgate operator: {@link dev.tollgate.operator.OperatorMain} (process entry) and {@link
 * dev.tollgate.operator.TollgateOperator} (the assembly that tests run in-process).
 */
package dev.tollgate.operator;
