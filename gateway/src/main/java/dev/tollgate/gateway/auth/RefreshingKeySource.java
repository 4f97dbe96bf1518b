package dev.tollgate.gateway.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A cached JWKS document that follows key rotation without a restart. Two triggers reload it:
 *
 * <ul>
 *   <li>age: after {@code maxAge} the next lookup starts a background reload and keeps answering
 *       from the cached keys meanwhile (no request waits for a routine refresh);
 *   <li>an unknown {@code kid}: the lookup reloads synchronously, because an issuer that rotated
 *       signs with the new key before our cache knows it.
 * </ul>
 *
 * <p>Both go through one budget: at most one load per {@code minInterval}. Without it, a client
 * sending tokens with random key ids would turn every request into a fetch of the issuer's JWKS. A
 * failed load keeps the last good keys.
 */
public final class RefreshingKeySource implements KeySource {
  /** Reads the raw JWKS document. */
  @FunctionalInterface
  public interface JwksLoader {
    String load() throws IOException, InterruptedException;
  }

  private static final System.Logger LOG = System.getLogger(RefreshingKeySource.class.getName());

  private final JwksLoader loader;
  private final String description;
  private final long minIntervalNanos;
  private final long maxAgeNanos;
  private final ReentrantLock loadLock = new ReentrantLock();
  private final AtomicBoolean backgroundLoadRunning = new AtomicBoolean();
  private volatile VerificationKeys keys = VerificationKeys.empty();
  private volatile long loadedAtNanos;
  private volatile long lastAttemptNanos;

  RefreshingKeySource(
      JwksLoader loader, String description, Duration minInterval, Duration maxAge) {
    this.loader = loader;
    this.description = description;
    this.minIntervalNanos = minInterval.toNanos();
    this.maxAgeNanos = maxAge.toNanos();
    this.lastAttemptNanos = System.nanoTime() - minIntervalNanos;
    loadIfAllowed();
  }

  /**
   * Keys from an HTTP(S) JWKS endpoint: reloaded every {@code maxAge}, on unknown key ids at most
   * once per {@code minInterval}.
   */
  public static RefreshingKeySource fromUri(
      URI uri, Duration minInterval, Duration maxAge, Duration fetchTimeout) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(fetchTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(fetchTimeout)
            .header("Accept", "application/jwk-set+json, application/json")
            .GET()
            .build();
    JwksLoader loader =
        () -> {
          HttpResponse<String> response =
              client.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() != 200) {
            throw new IOException("JWKS endpoint answered " + response.statusCode());
          }
          return response.body();
        };
    return new RefreshingKeySource(loader, uri.toString(), minInterval, maxAge);
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
    if (System.nanoTime() - loadedAtNanos > maxAgeNanos
        && backgroundLoadRunning.compareAndSet(false, true)) {
      Thread.ofVirtual()
          .name("jwks-refresh")
          .start(
              () -> {
                try {
                  loadIfAllowed();
                } finally {
                  backgroundLoadRunning.set(false);
                }
              });
    }
    return keys;
  }

  @Override
  public VerificationKeys refreshForUnknownKey() {
    loadIfAllowed();
    return keys;
  }

  private void loadIfAllowed() {
    loadLock.lock();
    try {
      // Callers queued behind a load that just finished find the budget spent and reuse its result.
      long now = System.nanoTime();
      if (now - lastAttemptNanos < minIntervalNanos) {
        return;
      }
      lastAttemptNanos = now;
      keys = VerificationKeys.parse(loader.load());
      loadedAtNanos = System.nanoTime();
    } catch (IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Could not load JWKS from " + description + "; keeping the previous keys: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      loadLock.unlock();
    }
  }
}
