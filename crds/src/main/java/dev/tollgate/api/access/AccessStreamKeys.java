package dev.tollgate.api.access;

/**
 * The Redis keys of gateway instance {@code <gw>}'s access stream and of everything the analytics
 * service derives from it: the one place where gateways and the analytics service spell them.
 *
 * <p>All of them carry the hash tag {@code {<gw>:access}}: on a Redis Cluster they share one slot,
 * which is what lets the analytics service apply a batch's aggregates and acknowledge the batch in
 * one atomic script (exactly-once counting), and that slot is apart from the config keys' {@code
 * {<gw>}}, so the access traffic does not load the node that serves the snapshot.
 *
 * @param gateway the gateway instance name (a DNS label: never contains the braces that would end
 *     the tag early)
 */
public record AccessStreamKeys(String gateway) {
  /** The consumer group every analytics replica reads the stream with. */
  public static final String GROUP = "analytics";

  public AccessStreamKeys {
    if (gateway.isEmpty() || gateway.contains("{") || gateway.contains("}")) {
      throw new IllegalArgumentException(
          "gateway name '" + gateway + "': expected a non-empty name without braces");
    }
  }

  /** The stream every gateway pod of the instance appends to ({@code XADD ... MAXLEN ~ N}). */
  public String stream() {
    return prefix() + "stream";
  }

  /**
   * The start of every derived key ({@code tollgate:{<gw>:access}:}); the analytics service builds
   * its aggregate keys from it so they stay in the stream's slot.
   */
  public String prefix() {
    return "tollgate:{" + gateway + ":access}:";
  }
}
