package dev.sqsworker.core.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.BatchResult;
import dev.sqsworker.core.NonRetryableException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchVerdictsTest {

  private static final List<String> IDS = List.of("a", "b", "c");

  @Test
  void anItemTheResultDoesNotNameSucceeded() {
    var v = BatchVerdicts.of(IDS, BatchResult.allSucceeded(), null);
    assertThat(v.wholeCall()).isFalse();
    assertThat(v.errors()).containsOnlyNulls().hasSize(3);
  }

  @Test
  void failedAndRejectedItemsGetTheirOwnErrorsInBatchOrder() {
    var timeout = new IllegalStateException("timeout");
    var v =
        BatchVerdicts.of(
            IDS, BatchResult.builder().rejected("c", "bad c").failed("a", timeout).build(), null);
    assertThat(v.wholeCall()).isFalse();
    assertThat(v.errors().get(0)).isSameAs(timeout);
    assertThat(v.succeeded(1)).isTrue();
    assertThat(v.errors().get(2)).isInstanceOf(NonRetryableException.class).hasMessage("bad c");
  }

  @Test
  void aThrowingCallFailsEveryItemWithItsError() {
    var boom = new IllegalStateException("boom");
    var v = BatchVerdicts.of(IDS, null, boom);
    assertThat(v.wholeCall()).isTrue();
    assertThat(v.errors()).containsExactly(boom, boom, boom);
  }

  @Test
  void aNullResultFailsEveryItemWithAClearError() {
    var v = BatchVerdicts.of(IDS, null, null);
    assertThat(v.wholeCall()).isTrue();
    assertThat(v.errors())
        .allSatisfy(
            e -> assertThat(e).hasMessageContaining("returned null instead of a BatchResult"));
  }

  @Test
  void aResultNamingAMessageNotInTheBatchFailsEveryItemNamingIt() {
    var v =
        BatchVerdicts.of(
            IDS,
            BatchResult.builder().failed("a", new RuntimeException()).rejected("zz", "x").build(),
            null);
    assertThat(v.wholeCall()).isTrue();
    assertThat(v.errors())
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not in its batch: [zz]"));
  }
}
