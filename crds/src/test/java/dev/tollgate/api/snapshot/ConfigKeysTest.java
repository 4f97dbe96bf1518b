package dev.tollgate.api.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigKeysTest {
  @Test
  void spellsEveryKeyWithTheGatewayNameAsHashTag() {
    ConfigKeys keys = new ConfigKeys("edge");

    assertThat(keys.entries()).isEqualTo("tollgate:{edge}:config:entries");
    assertThat(keys.log()).isEqualTo("tollgate:{edge}:config:log");
    assertThat(keys.version()).isEqualTo("tollgate:{edge}:config:version");
    assertThat(keys.fence()).isEqualTo("tollgate:{edge}:config:fence");
    assertThat(keys.lineage()).isEqualTo("tollgate:{edge}:config:lineage");
    assertThat(keys.channel()).isEqualTo("tollgate:{edge}:config");
    assertThat(keys.gateways()).isEqualTo("tollgate:{edge}:gateways");
  }

  @Test
  void refusesNamesThatWouldChangeTheHashTag() {
    assertThatThrownBy(() -> new ConfigKeys("a}b"))
        .hasMessage(
            "TOLLGATE_GATEWAY_NAME=a}b: expected a DNS label (lower-case letters, digits and '-',"
                + " at most 63)");
    assertThatThrownBy(() -> new ConfigKeys("")).hasMessageContaining("DNS label");
    assertThatThrownBy(() -> new ConfigKeys("x".repeat(64))).hasMessageContaining("DNS label");
    assertThat(new ConfigKeys("x".repeat(63)).gateway()).hasSize(63);
  }

  @Test
  void loadsTheSharedScripts() {
    assertThat(ConfigScripts.WRITE_CONFIG).contains("KEYS[6]");
    assertThat(ConfigScripts.READ_CONFIG).contains("'XRANGE'");
    assertThat(ConfigScripts.REPORT_APPLIED_VERSION).contains("'TIME'");
    assertThat(ConfigScripts.LIVE_GATEWAYS).contains("'HDEL'");
  }
}
