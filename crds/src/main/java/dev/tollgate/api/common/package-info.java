/**
 * Types shared by both custom resources: status {@link dev.tollgate.api.common.Condition}s with
 * their type and reason constants, policy {@link dev.tollgate.api.common.TargetRef}s, the duration
 * syntax of specs ({@link dev.tollgate.api.common.DurationStrings}) and the Jackson mappers every
 * module uses to read and write them ({@link dev.tollgate.api.common.ApiJson}).
 */
package dev.tollgate.api.common;
