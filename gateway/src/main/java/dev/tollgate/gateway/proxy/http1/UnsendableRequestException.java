package dev.tollgate.gateway.proxy.http1;

/**
 * The request holds what an HTTP/1.1 head cannot carry as it is (a header name that is not a token,
 * a control character in a value, whitespace in the target): the client's mistake, found before
 * anything was sent. Never the upstream's failure.
 */
public final class UnsendableRequestException extends IllegalArgumentException {
  UnsendableRequestException(String message) {
    super(message);
  }
}
