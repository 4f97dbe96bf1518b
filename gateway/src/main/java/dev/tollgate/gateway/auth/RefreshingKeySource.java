package dev.tollgate.gateway.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cached JWKS document that follows key rotation without a restart. Requests only ever read the
 * last good keys; they never wait for a fetch. Two triggers start a reload in the background:
 *
 * <ul>
 *   <li>age: after {@code maxAge};
 *   <li>an unknown {@code kid}: an issuer that rotated may sign with a key our cache does not know
 *       yet. The request that brought it is refused (401) at once; requests after the reload (a few
 *       milliseconds on a healthy endpoint) verify with the new key.
 * </ul>
 *
 * <p>Both go through one budget: at most one load per {@code minInterval}, and never two at a time.
 * Without it, a client sending tokens with random key ids would turn every request into a fetch of
 * the issuer's JWKS. A failed load keeps the last good keys. No lock is held while loading, so a
 * slow or hanging endpoint delays nothing but the next reload.
 */
public final class RefreshingKeySource implements KeySource {
  /** Reads the raw JWKS document. */
  @FunctionalInterface
  public interface JwksLoader {
    String load() throws IOException, InterruptedException;
  }

  /** Largest JWKS document accepted; the big public issuers publish 2-20 KiB. */
  static final int MAX_JWKS_BYTES = 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(RefreshingKeySource.class);

  private final JwksLoader loader;
  private final String description;
  private final long minIntervalNanos;
  private final long maxAgeNanos;
  private final AtomicBoolean loading = new AtomicBoolean();
  private final AtomicLong lastAttemptNanos;
  private volatile VerificationKeys keys = VerificationKeys.empty();
  private volatile long loadedAtNanos;

  /** Loads once before returning (at start, not on a request), then refreshes in background. */
  RefreshingKeySource(
      JwksLoader loader, String description, Duration minInterval, Duration maxAge) {
    this.loader = loader;
    this.description = description;
    this.minIntervalNanos = minInterval.toNanos();
    this.maxAgeNanos = maxAge.toNanos();
    this.lastAttemptNanos = new AtomicLong(System.nanoTime());
    loading.set(true);
    load();
  }

  /**
   * Keys from an HTTP(S) JWKS endpoint: reloaded every {@code maxAge}, on unknown key ids at most
   * once per {@code minInterval}; each fetch must complete within {@code deadline} and stay under
   * {@value #MAX_JWKS_BYTES} bytes, and redirects are not followed. An https endpoint's certificate
   * is verified against {@code tls}'s trust, host name included.
   */
  public static RefreshingKeySource fromUri(
      URI uri, SSLContext tls, Duration minInterval, Duration maxAge, Duration deadline) {
    return new RefreshingKeySource(
        new JwksFetcher(uri, tls, deadline, MAX_JWKS_BYTES), uri.toString(), minInterval, maxAge);
  }

  /**
   * Keys from a local file (e.g. a mounted Secret or ConfigMap, which Kubernetes swaps in place):
   * re-read every {@code checkInterval}, and on unknown key ids at most as often.
   */
  public static RefreshingKeySource fromFile(Path file, Duration checkInterval) {
    return new RefreshingKeySource(
        () -> Files.readString(file), file.toString(), checkInterval, checkInterval);
  }

  @Override
  public VerificationKeys current() {
    if (System.nanoTime() - loadedAtNanos > maxAgeNanos) {
      reloadInBackground();
    }
    return keys;
  }

  @Override
  public VerificationKeys refreshForUnknownKey() {
    reloadInBackground();
    return keys;
  }

  /** Starts a load unless one runs or the budget is spent; returns at once either way. */
  private void reloadInBackground() {
    long now = System.nanoTime();
    long last = lastAttemptNanos.get();
    if (now - last < minIntervalNanos || !lastAttemptNanos.compareAndSet(last, now)) {
      return;
    }
    if (!loading.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual().name("jwks-refresh").start(this::load);
  }

  /** Runs with {@link #loading} set; clears it when done. */
  private void load() {
    try {
      keys = VerificationKeys.parse(loader.load());
      loadedAtNanos = System.nanoTime();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not load JWKS from " + description + "; keeping the previous keys: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      loading.set(false);
    }
  }
}
