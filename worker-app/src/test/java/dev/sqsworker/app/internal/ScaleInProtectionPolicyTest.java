package dev.sqsworker.app.internal;

import static dev.sqsworker.app.internal.ScaleInProtectionPolicy.Action.NONE;
import static dev.sqsworker.app.internal.ScaleInProtectionPolicy.Action.PROTECT;
import static dev.sqsworker.app.internal.ScaleInProtectionPolicy.Action.UNPROTECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.app.internal.ScaleInProtectionPolicy.Action;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScaleInProtectionPolicyTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final ScaleInProtectionPolicy policy =
      new ScaleInProtectionPolicy(
          Duration.ofMinutes(10),
          Duration.ofMinutes(2),
          Duration.ofSeconds(30),
          Duration.ofSeconds(15));

  /** Decides at T0 + seconds and records success of whatever it decided. */
  Action step(long seconds, int inFlight) {
    Instant now = T0.plusSeconds(seconds);
    Action action = policy.decide(now, inFlight);
    switch (action) {
      case PROTECT -> policy.protectionSet(now);
      case UNPROTECT -> policy.protectionCleared();
      case NONE -> {}
    }
    return action;
  }

  @Test
  void idleTaskIsNeverProtected() {
    assertThat(step(0, 0)).isEqualTo(NONE);
    assertThat(step(60, 0)).isEqualTo(NONE);
    assertThat(policy.isProtected(T0.plusSeconds(60))).isFalse();
  }

  @Test
  void protectsAsSoonAsAMessageIsInFlight_andOnlyOnce() {
    assertThat(step(0, 1)).isEqualTo(PROTECT);
    assertThat(policy.isProtected(T0)).isTrue();
    assertThat(step(1, 3)).isEqualTo(NONE);
    assertThat(step(300, 1)).isEqualTo(NONE);
  }

  @Test
  void busyTaskRenewsBeforeTheProtectionExpires() {
    assertThat(step(0, 1)).isEqualTo(PROTECT);
    // Protected until 10:00; renewal is due from 8:00.
    assertThat(step(479, 1)).isEqualTo(NONE);
    assertThat(step(480, 1)).isEqualTo(PROTECT);
    // Renewed at 8:00: good until 18:00, next renewal from 16:00.
    assertThat(step(959, 1)).isEqualTo(NONE);
    assertThat(step(960, 1)).isEqualTo(PROTECT);
  }

  @Test
  void releasesOnlyAfterStayingIdleForTheDebounce() {
    step(0, 1);
    assertThat(step(10, 0)).isEqualTo(NONE);
    assertThat(step(39, 0)).isEqualTo(NONE);
    assertThat(step(40, 0)).isEqualTo(UNPROTECT);
    assertThat(policy.isProtected(T0.plusSeconds(40))).isFalse();
    assertThat(step(41, 0)).isEqualTo(NONE);
  }

  @Test
  void aMessageDuringTheDebounceRestartsIt() {
    step(0, 1);
    step(10, 0);
    assertThat(step(35, 1)).isEqualTo(NONE);
    assertThat(step(36, 0)).isEqualTo(NONE);
    assertThat(step(65, 0)).isEqualTo(NONE);
    assertThat(step(66, 0)).isEqualTo(UNPROTECT);
  }

  @Test
  void expiredProtectionIsNotReleasedAgain_andABusyTaskProtectsAnew() {
    step(0, 1);
    // Idle debounce never elapsed in between ticks: the loop was stalled past the expiry.
    assertThat(step(600, 0)).isEqualTo(NONE);
    assertThat(policy.isProtected(T0.plusSeconds(600))).isFalse();
    assertThat(step(601, 1)).isEqualTo(PROTECT);
  }

  @Test
  void afterAFailedRequestWaitsTheRetryDelay() {
    Instant now = T0;
    assertThat(policy.decide(now, 1)).isEqualTo(PROTECT);
    policy.requestFailed(now);
    assertThat(policy.decide(now.plusSeconds(14), 1)).isEqualTo(NONE);
    assertThat(policy.decide(now.plusSeconds(15), 1)).isEqualTo(PROTECT);
    policy.protectionSet(now.plusSeconds(15));
    assertThat(policy.isProtected(now.plusSeconds(16))).isTrue();
  }

  @Test
  void aFailedReleaseIsRetried() {
    step(0, 1);
    Instant release = T0.plusSeconds(40);
    policy.decide(T0.plusSeconds(10), 0);
    assertThat(policy.decide(release, 0)).isEqualTo(UNPROTECT);
    policy.requestFailed(release);
    assertThat(policy.decide(release.plusSeconds(5), 0)).isEqualTo(NONE);
    assertThat(policy.decide(release.plusSeconds(15), 0)).isEqualTo(UNPROTECT);
  }

  @Test
  void onStopReleasesAtOnceOnlyWhenProtected() {
    assertThat(policy.decideOnStop(T0)).isEqualTo(NONE);
    step(0, 1);
    assertThat(policy.decideOnStop(T0.plusSeconds(1))).isEqualTo(UNPROTECT);
    assertThat(policy.decideOnStop(T0.plusSeconds(600))).isEqualTo(NONE);
  }

  @Test
  void rejectsDurationsTheAgentCannotTake() {
    assertThatThrownBy(
            () ->
                new ScaleInProtectionPolicy(
                    Duration.ofSeconds(90), Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("protectFor must be whole minutes between 1 and 2880");
    assertThatThrownBy(
            () ->
                new ScaleInProtectionPolicy(
                    Duration.ofMinutes(2881), Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("protectFor");
    assertThatThrownBy(
            () ->
                new ScaleInProtectionPolicy(
                    Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("renewBefore");
  }
}
