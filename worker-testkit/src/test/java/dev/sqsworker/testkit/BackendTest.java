package dev.sqsworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackendTest {

  @Test
  void blankMeansEmbedded() {
    assertThat(Backend.parse("")).isEqualTo(Backend.EMBEDDED);
    assertThat(Backend.parse(null)).isEqualTo(Backend.EMBEDDED);
    assertThat(Backend.parse(" LocalStack ")).isEqualTo(Backend.LOCALSTACK);
  }

  @Test
  void unknownBackendNamesTheProperty() {
    assertThatThrownBy(() -> Backend.parse("minio"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sqsworker.backend must be 'embedded' or 'localstack', was 'minio'");
  }
}
