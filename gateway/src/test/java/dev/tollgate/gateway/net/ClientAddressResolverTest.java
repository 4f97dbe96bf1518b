package dev.tollgate.gateway.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressResolverTest {
  private final ClientAddressResolver resolver =
      new ClientAddressResolver(TrustedProxies.parse("10.0.0.0/8"));

  /**
   * Behind a trusted proxy, the right-most untrusted hop, whether or not its writer added a port.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "203.0.113.9                 | 203.0.113.9",
        "203.0.113.9:4711            | 203.0.113.9",
        "198.51.100.1, 203.0.113.9:1 | 203.0.113.9",
        "203.0.113.9, 10.0.0.7:443   | 203.0.113.9",
        "[2001:db8::1]:4711          | 2001:db8::1",
        "[2001:db8::1]               | 2001:db8::1",
        "2001:db8::1                 | 2001:db8::1",
        "2001:db8::1:4711            | 2001:db8::1:4711",
        "203.0.113.9:http            | 10.0.0.1",
        "203.0.113.9:123456          | 10.0.0.1",
        "unknown                     | 10.0.0.1"
      })
  void theClientIsTheRightMostUntrustedHopWithoutItsPort(String forwardedFor, String client)
      throws Exception {
    InetAddress proxy = InetAddress.getByName("10.0.0.1");

    assertThat(resolver.resolve(proxy, List.of(forwardedFor)))
        .isEqualTo(InetAddress.getByName(client));
  }
}
