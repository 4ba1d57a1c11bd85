package dev.sqsworker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void everyFamilyRunsUnlessSomeAreChosen() {
    BenchOptions all = BenchOptions.parse("--quick");
    assertThat(BenchOptions.FAMILIES).allMatch(all::runs);
    BenchOptions some = BenchOptions.parse("--only", "io,scaleout");
    assertThat(some.runs("io")).isTrue();
    assertThat(some.runs("scaleout")).isTrue();
    assertThat(some.runs("noop")).isFalse();
  }

  @Test
  void anUnknownFamilyIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> BenchOptions.parse("--only", "noop,iobound"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--only: unknown family 'iobound' (known: noop, idem, batch, claims, ratelimit, spring,"
                + " io, scaleout, long, startup)");
  }
}
