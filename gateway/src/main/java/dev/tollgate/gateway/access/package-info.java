/**
 * The access record of each request ({@link dev.tollgate.api.access.AccessRecord}) and where it
 * goes: a JSON-lines access log (stdout or a file, sampled) and the gateway instance's access
 * stream in Redis for the analytics service. Records leave the request's thread through bounded
 * queues; a full queue or a failing Redis drops records and counts them, never slows a request.
 */
package dev.tollgate.gateway.access;
