package dev.tollgate.analytics.store;

import java.util.Map;
import java.util.function.ObjLongConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Request latencies of one route as an HdrHistogram whose buckets are stored sparsely in a Redis
 * hash (bucket's lowest value in microseconds → count). Adding counts per bucket with {@code
 * HINCRBY} is exactly HdrHistogram's merge, so minutes, batches and replicas combine without loss,
 * and percentiles come out within the sketch's precision rather than as averages.
 *
 * <p>One significant digit: each power of two is split into 16 buckets, so a percentile is within
 * 6.25% of the true value, and a route-minute needs about 16 hash fields per doubling of its
 * latency spread (100-150 fields for 1 ms to 1 s). Two digits would be 0.8% at eight times the
 * fields, which for every route and minute of a day's retention would cost more Redis memory than
 * the access stream itself.
 */
public final class LatencySketch {
  private static final long HIGHEST_MICROS = 3_600_000_000L;
  private static final int SIGNIFICANT_DIGITS = 1;

  private final Histogram histogram = new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);

  public void record(long micros) {
    histogram.recordValue(Math.clamp(micros, 1, HIGHEST_MICROS));
  }

  /** Adds the buckets read from a hash (field = bucket's lowest value, value = count). */
  public void add(Map<String, String> buckets) {
    for (Map.Entry<String, String> bucket : buckets.entrySet()) {
      histogram.recordValueWithCount(
          Long.parseLong(bucket.getKey()), Long.parseLong(bucket.getValue()));
    }
  }

  /** Visits each non-empty bucket as (lowest value in microseconds, count). */
  public void forEachBucket(ObjLongConsumer<String> bucket) {
    for (HistogramIterationValue value : histogram.recordedValues()) {
      bucket.accept(
          Long.toString(histogram.lowestEquivalentValue(value.getValueIteratedTo())),
          value.getCountAddedInThisIterationStep());
    }
  }

  public long count() {
    return histogram.getTotalCount();
  }

  /** The latency at a percentile (0-100), in milliseconds; 0 without any request. */
  public double percentileMillis(double percentile) {
    return count() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
