package dev.tollgate.operator.snapshot;

/**
 * What one attempt to store a snapshot did.
 *
 * @param version the version now in Redis as far as this writer knows (the new one when written,
 *     the stored one otherwise)
 */
public record WriteResult(Outcome outcome, long version) {
  /** Outcomes, also the {@code result} label of the write metric. */
  public enum Outcome {
    /** New content stored under a new version and published. */
    WRITTEN,
    /** Redis already holds exactly this content: nothing written, no new version. */
    UNCHANGED,
    /** A writer with a newer leader epoch owns the snapshot; this one must stop writing. */
    FENCED,
    /** Other writes kept moving the version between read and write; retried later. */
    CONFLICT
  }

  public static WriteResult written(long version) {
    return new WriteResult(Outcome.WRITTEN, version);
  }

  public static WriteResult unchanged(long version) {
    return new WriteResult(Outcome.UNCHANGED, version);
  }

  public static WriteResult fenced(long version) {
    return new WriteResult(Outcome.FENCED, version);
  }

  public static WriteResult conflict(long version) {
    return new WriteResult(Outcome.CONFLICT, version);
  }

  /** True when Redis now holds the caller's content (written now or already there). */
  public boolean stored() {
    return outcome == Outcome.WRITTEN || outcome == Outcome.UNCHANGED;
  }
}
