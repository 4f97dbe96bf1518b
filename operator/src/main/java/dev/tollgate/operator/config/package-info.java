/** Settings from environment variables, validated once at start (docs/operator.md lists them). */
package dev.tollgate.operator.config;
