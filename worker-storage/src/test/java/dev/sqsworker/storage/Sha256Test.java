package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

  @Test
  void knownDigestInBothForms() {
    Sha256 abc = Sha256.of("abc".getBytes(StandardCharsets.UTF_8));
    assertThat(abc.hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Sha256.fromBase64(abc.base64())).isEqualTo(abc);
    assertThat(Sha256.fromHex(abc.hex())).isEqualTo(abc).hasSameHashCodeAs(abc);
  }

  @Test
  void refusesWrongLengths() {
    assertThatThrownBy(() -> Sha256.ofDigest(new byte[31]))
        .hasMessage("a SHA-256 digest has 32 bytes, was 31");
  }
}
