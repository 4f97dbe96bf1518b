/** The admin socket's own endpoints: readiness and the served configuration. */
package dev.tollgate.gateway.admin;
