package dev.tollgate.gateway.auth;

/** Where verification keys come from: a JWKS URI, a JWKS file, or nowhere. */
public interface KeySource {
  /** The keys to verify with now; cheap, called once per token. */
  VerificationKeys current();

  /**
   * Called when a token names a key id that {@link #current()} lacks (the issuer may have rotated
   * keys): reloads if the source's refresh budget allows, and returns the keys after that.
   */
  VerificationKeys refreshForUnknownKey();

  /** No keys: every asymmetric token is refused (the default without a JWKS setting). */
  static KeySource none() {
    return new KeySource() {
      @Override
      public VerificationKeys current() {
        return VerificationKeys.empty();
      }

      @Override
      public VerificationKeys refreshForUnknownKey() {
        return VerificationKeys.empty();
      }
    };
  }
}
