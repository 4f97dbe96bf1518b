package dev.tollgate.gateway.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.metrics.api.Counter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.LoggerFactory;

/**
 * One direction of a tunnel: each chunk is written on as it was read (at most one socket read
 * buffer is held), while the frames are followed so that {@link #stop} can end the stream with a
 * Close frame of the gateway's own between two frames.
 */
final class OneWayRelay {
  /**
   * How long {@link #stop} waits for a write in progress (a peer that does not read) before it
   * gives up on the Close frame; the connection is closed either way.
   */
  private static final long STOP_WAIT_MILLIS = 200;

  private final DataReader from;
  private final DataWriter to;
  private final Counter bytes;
  private final boolean towardUpstream;
  private final ReentrantLock writing = new ReentrantLock();
  private final FrameBoundary boundary = new FrameBoundary();
  private volatile boolean stopped;

  /**
   * @param towardUpstream true when {@code to} is the upstream (the gateway's frames are masked)
   */
  OneWayRelay(DataReader from, DataWriter to, Counter bytes, boolean towardUpstream) {
    this.from = from;
    this.to = to;
    this.bytes = bytes;
    this.towardUpstream = towardUpstream;
  }

  /**
   * Copies until stopped; throws when {@code from} ends (Helidon's
   * InsufficientDataAvailableException) or either socket fails or is closed.
   */
  void run(Runnable onActivity) {
    while (!stopped) {
      BufferData chunk = nextChunk();
      int length = chunk.available();
      writing.lock();
      try {
        if (stopped) {
          return;
        }
        boundary.advance(chunk);
        to.writeNow(chunk);
      } finally {
        writing.unlock();
      }
      bytes.increment(length);
      onActivity.run();
    }
  }

  /**
   * What the reader holds, at least one byte, without copying. Not {@code readBuffer()}: Helidon
   * 4.3.0 hands out a buffer whose {@code writeTo} passes its end position as the length, so a
   * chunk that does not start at the beginning of its read buffer (the bytes right behind the
   * upstream's 101 head) fails the write or sends bytes beyond the chunk.
   */
  private BufferData nextChunk() {
    from.ensureAvailable();
    int length = from.available();
    BufferData chunk = from.getBuffer(length);
    from.skip(length);
    return chunk;
  }

  /**
   * Stops relaying. With a {@code closeReason}, a Close frame (1001) follows the last whole frame
   * relayed, unless a frame is partly relayed or the peer does not take the bytes; without one (the
   * other side is gone) nothing is written and nothing waited for.
   */
  void stop(String closeReason) {
    stopped = true;
    if (closeReason == null) {
      return;
    }
    boolean locked = false;
    try {
      // a write in progress finishes first; the relay writes nothing more once it sees stopped
      locked = writing.tryLock(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      if (locked && boundary.atBoundary()) {
        to.writeNow(BufferData.create(CloseFrame.of(closeReason, towardUpstream)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(OneWayRelay.class).trace("Close frame not delivered", e);
    } finally {
      if (locked) {
        writing.unlock();
      }
    }
  }
}
