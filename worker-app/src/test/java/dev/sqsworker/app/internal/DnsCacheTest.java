package dev.sqsworker.app.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DnsCacheTest {

  @Test
  void unconfigured_getsTheShortDefault() {
    assertThat(DnsCache.ttlToSet(null, null)).contains("5");
    assertThat(DnsCache.ttlToSet(" ", null)).contains("5");
  }

  @Test
  void anOperatorsChoice_isKept() {
    assertThat(DnsCache.ttlToSet("60", null)).isEmpty();
    assertThat(DnsCache.ttlToSet(null, "1")).isEmpty();
  }
}
