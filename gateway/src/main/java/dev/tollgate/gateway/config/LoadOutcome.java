package dev.tollgate.gateway.config;

/**
 * What became of a snapshot offered to the {@link ConfigSink}.
 *
 * @param applied whether it is now being served (with {@code rejected} left out)
 * @param rejected the resources left out (or, when not applied, the reason it was refused)
 */
public record LoadOutcome(boolean applied, Rejections rejected) {
  public static LoadOutcome applied(Rejections rejected) {
    return new LoadOutcome(true, rejected);
  }

  public static LoadOutcome refused(Rejections rejected) {
    return new LoadOutcome(false, rejected);
  }
}
