package dev.tollgate.gateway.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Fetches a JWKS document over HTTP(S) the way an attacker-controlled or broken endpoint cannot
 * abuse: redirects are not followed (a redirect could point the gateway at an internal address),
 * the whole exchange, body included, must finish within one deadline (the client's own timeout
 * covers only the response headers), and the body is cut off past a size cap instead of being
 * buffered whole.
 */
final class JwksFetcher implements RefreshingKeySource.JwksLoader {
  private final URI uri;
  private final Duration deadline;
  private final int maxBytes;
  private final HttpClient client;

  JwksFetcher(URI uri, SSLContext tls, Duration deadline, int maxBytes) {
    this.uri = uri;
    this.deadline = deadline;
    this.maxBytes = maxBytes;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(deadline)
            .sslContext(tls)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String load() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(deadline)
            .header("Accept", "application/jwk-set+json, application/json")
            .GET()
            .build();
    CompletableFuture<HttpResponse<String>> exchange =
        client.sendAsync(request, info -> new BoundedBody(info.statusCode() == 200 ? maxBytes : 0));
    HttpResponse<String> response;
    try {
      response = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new IOException("no complete answer within " + deadline, e);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          "answered "
              + response.statusCode()
              + (response.statusCode() / 100 == 3 ? " (redirects are not followed)" : ""));
    }
    return response.body();
  }

  /**
   * Collects at most {@code maxBytes} of the body and fails past that; with {@code maxBytes} 0 (an
   * answer other than 200) the body is not read at all.
   */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<String> {
    private final int maxBytes;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    BoundedBody(int maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<String> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (maxBytes == 0) {
        subscription.cancel();
        result.complete("");
        return;
      }
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (collected.size() + buffer.remaining() > maxBytes) {
          subscription.cancel();
          result.completeExceptionally(
              new IOException("JWKS document larger than " + maxBytes + " bytes"));
          return;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        collected.writeBytes(bytes);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable failure) {
      result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      result.complete(collected.toString(StandardCharsets.UTF_8));
    }
  }
}
