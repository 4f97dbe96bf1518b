/**
 * Tests of the Helm chart in {@code helm/tollgate}: lint, rendering with helm-java (Helm as a
 * library), schema validation, and the rendered objects on a real kube-apiserver with RBAC.
 */
package dev.tollgate.e2e.helm;
