package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPolicyTest {

  private final KeyPolicy policy = KeyPolicy.builder().allowedPrefix("reports/").build();

  @Test
  void acceptsAKeyUnderThePrefix() {
    assertThat(policy.validate("reports/2026/summary.json")).isEqualTo("reports/2026/summary.json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reports/../secrets.txt", "reports/a/../../b", "reports/./a", ".."})
  void refusesDotSegmentsNamingTheKey(String key) {
    assertThatThrownBy(() -> KeyPolicy.defaults().validate(key))
        .isInstanceOf(InvalidArtifactKeyException.class)
        .hasMessageContaining("'" + key + "'")
        .hasMessageContaining("segment");
  }

  @Test
  void refusesALeadingSlash() {
    assertThatThrownBy(() -> KeyPolicy.defaults().validate("/reports/a.json"))
        .isInstanceOf(InvalidArtifactKeyException.class)
        .hasMessage("object key must not start with '/', was '/reports/a.json'");
  }

  @Test
  void refusesAKeyOutsideThePrefix() {
    assertThatThrownBy(() -> policy.validate("exports/a.json"))
        .isInstanceOf(InvalidArtifactKeyException.class)
        .hasMessage("object key must start with 'reports/', was 'exports/a.json'");
  }

  @Test
  void refusesKeysLongerThanTheLimitInUtf8Bytes() {
    KeyPolicy short10 = KeyPolicy.builder().maxKeyBytes(10).build();
    assertThat(short10.validate("abcdefghij")).hasSize(10);
    // Five characters, ten bytes in UTF-8: still fits; one more does not.
    assertThat(short10.validate("ééééé")).isEqualTo("ééééé");
    assertThatThrownBy(() -> short10.validate("éééééa"))
        .isInstanceOf(InvalidArtifactKeyException.class)
        .hasMessageContaining("at most 10 UTF-8 bytes, was 11");
  }

  @Test
  void refusesEmptyKeysEmptySegmentsFoldersAndControlCharacters() {
    KeyPolicy any = KeyPolicy.defaults();
    assertThatThrownBy(() -> any.validate("")).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> any.validate(null)).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> any.validate("a//b")).hasMessageContaining("empty segment");
    assertThatThrownBy(() -> any.validate("a/b/")).hasMessageContaining("end with '/'");
    assertThatThrownBy(() -> any.validate("a\nb")).hasMessageContaining("control characters");
  }

  @Test
  void builderRefusesBadLimitsAndPrefixes() {
    assertThatThrownBy(() -> KeyPolicy.builder().maxKeyBytes(1025))
        .hasMessage("maxKeyBytes must be between 1 and 1024, was 1025");
    assertThatThrownBy(() -> KeyPolicy.builder().maxKeyBytes(0))
        .hasMessage("maxKeyBytes must be between 1 and 1024, was 0");
    assertThatThrownBy(() -> KeyPolicy.builder().allowedPrefix("/abs"))
        .hasMessageContaining("allowedPrefix");
    assertThatThrownBy(() -> KeyPolicy.builder().allowedPrefix("a/../b"))
        .hasMessageContaining("allowedPrefix");
  }
}
