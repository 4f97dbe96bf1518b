package dev.tollgate.rules;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The JDK's own resolver, noting every name it is asked for: installed for this module's tests
 * (META-INF/services), so a test can tell whether parsing some text asked DNS.
 */
public final class RecordingResolverProvider extends InetAddressResolverProvider {
  private static final List<String> LOOKED_UP = new CopyOnWriteArrayList<>();

  /** The names looked up in this JVM so far. */
  static List<String> lookedUp() {
    return List.copyOf(LOOKED_UP);
  }

  @Override
  public InetAddressResolver get(Configuration configuration) {
    InetAddressResolver builtin = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
          throws UnknownHostException {
        LOOKED_UP.add(host);
        return builtin.lookupByName(host, policy);
      }

      @Override
      public String lookupByAddress(byte[] address) throws UnknownHostException {
        return builtin.lookupByAddress(address);
      }
    };
  }

  @Override
  public String name() {
    return "recording";
  }
}
