package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArtifactKeysTest {

  @Test
  void sameIdempotencyKeyGivesTheSameKey() {
    String first = ArtifactKeys.forIdempotencyKey("reports", "order-42", "summary.json");
    String again = ArtifactKeys.forIdempotencyKey("reports/", "order-42", "summary.json");

    String hash = Sha256.of("order-42".getBytes(StandardCharsets.UTF_8)).hex().substring(0, 8);
    assertThat(first).isEqualTo(again).isEqualTo("reports/" + hash + "/order-42/summary.json");
    assertThat(KeyPolicy.defaults().validate(first)).isEqualTo(first);
  }

  @Test
  void unsafeCharactersAreReplacedButTheHashKeepsKeysApart() {
    String slash = ArtifactKeys.forIdempotencyKey("", "a/b", "x.txt");
    String space = ArtifactKeys.forIdempotencyKey("", "a b", "x.txt");

    assertThat(slash).endsWith("/a_b/x.txt");
    assertThat(space).endsWith("/a_b/x.txt");
    assertThat(slash).isNotEqualTo(space);
    assertThat(KeyPolicy.defaults().validate(slash)).isEqualTo(slash);
    assertThat(ArtifactKeys.forIdempotencyKey("", "..", "x.txt")).endsWith("/__/x.txt");
  }

  @Test
  void longIdempotencyKeysAreShortened() {
    String key = ArtifactKeys.forIdempotencyKey("p/", "k".repeat(500), "x.txt");
    assertThat(key.split("/")[2]).hasSize(ArtifactKeys.MAX_READABLE_CHARS);
  }

  @Test
  void refusesUnsafeNamesAndEmptyKeys() {
    assertThatThrownBy(() -> ArtifactKeys.forIdempotencyKey("p", "k", "../x"))
        .hasMessageContaining("artifact name");
    assertThatThrownBy(() -> ArtifactKeys.forIdempotencyKey("p", "k", ".."))
        .hasMessageContaining("artifact name");
    assertThatThrownBy(() -> ArtifactKeys.forIdempotencyKey("p", "", "x"))
        .hasMessageContaining("idempotencyKey");
  }
}
