package dev.tollgate.gateway.auth;

/**
 * A bearer token that must not be trusted. The {@link Reason} is safe to show a client (RFC 6750
 * {@code error_description}) and to count; the cause of a failure stays in the server log.
 */
public final class InvalidTokenException extends Exception {
  /** Why a token was refused; {@link #description()} is the client-facing text. */
  public enum Reason {
    MALFORMED("The access token is malformed."),
    ALGORITHM_NOT_ALLOWED("The access token's signing algorithm is not accepted."),
    UNKNOWN_KEY("The access token was signed with an unknown key."),
    BAD_SIGNATURE("The access token's signature is invalid."),
    EXPIRED("The access token expired."),
    NOT_YET_VALID("The access token is not valid yet."),
    WRONG_ISSUER("The access token was issued by an untrusted issuer."),
    WRONG_AUDIENCE("The access token is not meant for this audience.");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  private final Reason reason;

  public InvalidTokenException(Reason reason) {
    super(reason.description(), null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
