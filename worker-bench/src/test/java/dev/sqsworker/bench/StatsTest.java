package dev.sqsworker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Stats.of(List.of(3.0, 1.0, 2.0))).isEqualTo(new Stats(2.0, 1.0, 3.0, 3));
    assertThat(Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
  }

  @Test
  void targetsAreJudgedOnTheMedian() {
    Stats stats = Stats.of(List.of(0.85, 0.95, 0.97));
    assertThat(Figure.atLeast("r", "d", "ratio", stats, 0.90).met()).isTrue();
    assertThat(Figure.atMost("q", "d", "req/msg", stats, 0.90).met()).isFalse();
  }

  @Test
  void optionsHaveQuickDefaultsAndRejectNonsense() {
    BenchOptions quick = BenchOptions.parse("--quick", "--json", "out.json");
    assertThat(quick.messages()).isEqualTo(500);
    assertThat(quick.rounds()).isEqualTo(2);
    assertThat(quick.json()).hasToString("out.json");
    assertThatThrownBy(() -> BenchOptions.parse("--rounds", "0"))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Stats.of(List.of())).hasMessageContaining("no values");
  }
}
