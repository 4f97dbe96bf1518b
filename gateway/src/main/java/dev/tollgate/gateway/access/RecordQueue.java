package dev.tollgate.gateway.access;

import dev.tollgate.api.access.AccessRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands access records from request threads to one writer thread. {@link #offer} never blocks: a
 * lock-free queue with a counted bound (a lock would park the many request virtual threads against
 * each other), and a record that does not fit is dropped and counted. The writer thread takes up to
 * {@code batchSize} records at a time and, unless that many are already waiting, sleeps {@value
 * #IDLE_MILLIS} ms before it takes the next batch: a record waits at most that long, at 40,000
 * requests/s a batch holds about 80 records, and an idle gateway wakes the thread 500 times a
 * second. Taking whatever had queued during the last write instead made batches as small as the
 * write's round trip is short, and every batch has fixed costs (a script call in Redis, a command
 * and a future in Lettuce, a wake-up of this thread).
 */
final class RecordQueue implements AutoCloseable {
  static final int IDLE_MILLIS = 2;

  /** Writes a batch; returns normally also when records were dropped (it counts them itself). */
  @FunctionalInterface
  interface BatchWriter extends AutoCloseable {
    void write(List<AccessRecord> batch);

    @Override
    default void close() {}
  }

  private final ConcurrentLinkedQueue<AccessRecord> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int capacity;
  private final int batchSize;
  private final BatchWriter writer;
  private final Runnable dropped;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param dropped counts one record that did not fit
   */
  RecordQueue(String name, int capacity, int batchSize, BatchWriter writer, Runnable dropped) {
    this.capacity = capacity;
    this.batchSize = batchSize;
    this.writer = writer;
    this.dropped = dropped;
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::drain);
    thread.start();
  }

  void offer(AccessRecord record) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      dropped.run();
      return;
    }
    queue.offer(record);
  }

  private void drain() {
    List<AccessRecord> batch = new ArrayList<>(batchSize);
    while (running || !queue.isEmpty()) {
      if (running && size.get() < batchSize) {
        LockSupport.parkNanos(Duration.ofMillis(IDLE_MILLIS).toNanos());
      }
      AccessRecord record;
      while (batch.size() < batchSize && (record = queue.poll()) != null) {
        batch.add(record);
      }
      if (batch.isEmpty()) {
        continue;
      }
      size.addAndGet(-batch.size());
      try {
        writer.write(batch);
      } catch (RuntimeException e) {
        // a writer bug must not stop the thread: the batch is lost, the next one is tried
        batch.forEach(r -> dropped.run());
      }
      batch.clear();
    }
  }

  /** Writes what is queued (waiting up to {@code timeout}), then closes the writer. */
  void close(Duration timeout) {
    running = false;
    try {
      thread.join(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.close();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
