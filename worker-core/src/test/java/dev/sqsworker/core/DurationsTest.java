package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsShortFormsCombinationsAndIso() {
    assertThat(Durations.tryParse("90s")).contains(Duration.ofSeconds(90));
    assertThat(Durations.tryParse("15m")).contains(Duration.ofMinutes(15));
    assertThat(Durations.tryParse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(Durations.tryParse("7d")).contains(Duration.ofDays(7));
    assertThat(Durations.tryParse("250ms")).contains(Duration.ofMillis(250));
    assertThat(Durations.tryParse("PT2H")).contains(Duration.ofHours(2));
  }

  @Test
  void rejectsWhatIsNoDuration() {
    assertThat(Durations.tryParse("1x")).isEmpty();
    assertThat(Durations.tryParse("h")).isEmpty();
    assertThat(Durations.tryParse("P1Y")).isEmpty();
    assertThat(Durations.tryParse("")).isEmpty();
  }

  @Test
  void parseNamesTheTextAndTheFormsAndFormatReadsBack() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Durations.parse("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'soon' is not a duration (use e.g. 30s, 500ms, 5m, 1h or PT30S)");
    assertThat(Durations.parse(" 30 s ")).isEqualTo(Duration.ofSeconds(30));
    for (Duration d :
        java.util.List.of(
            Duration.ofMillis(250),
            Duration.ofSeconds(90),
            Duration.ofMinutes(5),
            Duration.ofHours(2))) {
      assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
  }
}
