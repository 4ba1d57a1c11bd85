package dev.sqsworker.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterPayloadsTest {

  @Test
  void aCutNeverSplitsAUtf8Character() {
    byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
    assertThat(DeadLetterPayloads.characterBoundary(text, 1)).isEqualTo(1);
    assertThat(DeadLetterPayloads.characterBoundary(text, 2)).isEqualTo(1);
    assertThat(DeadLetterPayloads.characterBoundary(text, 3)).isEqualTo(3);
    assertThat(DeadLetterPayloads.characterBoundary(text, 5)).isEqualTo(3);
    assertThat(DeadLetterPayloads.characterBoundary(text, 6)).isEqualTo(6);
    assertThat(DeadLetterPayloads.characterBoundary(text, 9)).isEqualTo(6);
    assertThat(DeadLetterPayloads.characterBoundary(text, 10)).isEqualTo(10);
  }
}
