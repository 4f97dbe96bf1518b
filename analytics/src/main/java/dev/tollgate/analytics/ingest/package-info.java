/**
 * Reading the access stream as one consumer group shared by all replicas, and applying each batch
 * to the minute buckets exactly once ({@code apply-batch.lua}).
 */
package dev.tollgate.analytics.ingest;
