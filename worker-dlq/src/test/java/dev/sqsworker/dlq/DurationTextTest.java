package dev.sqsworker.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void readsShortFormsCombinationsAndIso() {
    assertThat(DurationText.parse("90s")).contains(Duration.ofSeconds(90));
    assertThat(DurationText.parse("15m")).contains(Duration.ofMinutes(15));
    assertThat(DurationText.parse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(DurationText.parse("7d")).contains(Duration.ofDays(7));
    assertThat(DurationText.parse("250ms")).contains(Duration.ofMillis(250));
    assertThat(DurationText.parse("PT2H")).contains(Duration.ofHours(2));
  }

  @Test
  void rejectsWhatIsNoDuration() {
    assertThat(DurationText.parse("1x")).isEmpty();
    assertThat(DurationText.parse("h")).isEmpty();
    assertThat(DurationText.parse("P1Y")).isEmpty();
    assertThat(DurationText.parse("")).isEmpty();
  }
}
