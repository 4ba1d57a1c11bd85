package dev.sqsworker.app.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.app.HealthCheck;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  final Readiness readiness = new Readiness();

  @AfterEach
  void close() {
    readiness.close();
  }

  @Test
  void runsTheChecksAtTheSameTime() {
    var secondRan = new CountDownLatch(1);
    // The first check can only pass if the second one runs while it waits.
    readiness.add(
        "first",
        () -> {
          try {
            return secondRan.await(Readiness.CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                ? HealthCheck.up("saw the second")
                : HealthCheck.down("ran alone");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheck.down("interrupted");
          }
        });
    readiness.add(
        "second",
        () -> {
          secondRan.countDown();
          return HealthCheck.up("ok");
        });

    assertThat(readiness.check())
        .containsExactly(
            new Readiness.Result("first", true, "saw the second"),
            new Readiness.Result("second", true, "ok"));
  }

  @Test
  void aThrowingOrHangingCheckIsDown_theOthersStillAnswer() {
    var never = new CountDownLatch(1);
    readiness.add(
        "throws",
        () -> {
          throw new IllegalStateException("boom");
        });
    readiness.add(
        "hangs",
        () -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return HealthCheck.up("never seen");
        });
    readiness.add("fine", () -> HealthCheck.up("ok"));

    var results = readiness.check();

    assertThat(results.get(0).healthy()).isFalse();
    assertThat(results.get(0).detail()).contains("IllegalStateException: boom");
    assertThat(results.get(1))
        .isEqualTo(new Readiness.Result("hangs", false, "no answer within 3s"));
    assertThat(results.get(2)).isEqualTo(new Readiness.Result("fine", true, "ok"));
  }

  @Test
  void namesAreUnique() {
    readiness.add("db", () -> HealthCheck.up("ok"));
    assertThatThrownBy(() -> readiness.add("db", () -> HealthCheck.up("ok")))
        .hasMessageContaining("'db'");
  }
}
