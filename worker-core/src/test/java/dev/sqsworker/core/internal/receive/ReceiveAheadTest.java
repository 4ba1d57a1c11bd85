package dev.sqsworker.core.internal.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReceiveAheadTest {

  private static final long MS = 1_000_000L;

  private final AtomicLong nanos = new AtomicLong(5_000 * MS);

  private void complete(ReceiveAhead ahead, int n) {
    for (int i = 0; i < n; i++) {
      ahead.completed(MS);
    }
  }

  @Test
  void nothingAheadBeforeAnyCompletionOrRoundTripIsKnown() {
    ReceiveAhead ahead = new ReceiveAhead(20, nanos::get);
    assertThat(ahead.allowance()).isZero();
    complete(ahead, 50);
    nanos.addAndGet(100 * MS);
    // A completion rate, but no full receive yet: the round trip is unknown.
    assertThat(ahead.allowance()).isZero();
  }

  @Test
  void completionsExpectedWithinOneRoundTrip() {
    ReceiveAhead ahead = new ReceiveAhead(100, nanos::get);
    ahead.received(10 * MS, true);
    complete(ahead, 100); // 100 in 100 ms: one per millisecond
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isEqualTo(10);
  }

  @Test
  void partialReceivesDoNotCountAsRoundTrips() {
    // A receive that came back short waited on an empty queue: its time is not a round trip.
    ReceiveAhead ahead = new ReceiveAhead(100, nanos::get);
    ahead.received(10 * MS, true);
    ahead.received(20_000 * MS, false);
    complete(ahead, 100);
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isEqualTo(10);
  }

  @Test
  void neverMoreThanTheCap() {
    ReceiveAhead ahead = new ReceiveAhead(20, nanos::get);
    ahead.received(50 * MS, true);
    complete(ahead, 1_000);
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isEqualTo(20);
  }

  @Test
  void aCapOfZeroTurnsItOff() {
    ReceiveAhead ahead = new ReceiveAhead(0, nanos::get);
    ahead.received(50 * MS, true);
    complete(ahead, 1_000);
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isZero();
  }

  @Test
  void aSlowDownStopsReceivingAheadWithinOneWindow() {
    ReceiveAhead ahead = new ReceiveAhead(100, nanos::get);
    ahead.received(10 * MS, true);
    complete(ahead, 100);
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isEqualTo(10);
    // The handlers stall: no completion in the next window, so nothing more is received ahead.
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isZero();
  }

  @Test
  void aSpeedUpIsFollowedGradually() {
    ReceiveAhead ahead = new ReceiveAhead(1_000, nanos::get);
    ahead.received(10 * MS, true);
    complete(ahead, 100);
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isEqualTo(10);
    complete(ahead, 300); // three per millisecond now
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isEqualTo(20); // halfway from 10 to 30
    complete(ahead, 300);
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isEqualTo(25);
  }

  @Test
  void theRateIsRecomputedOnlyOncePerWindow() {
    ReceiveAhead ahead = new ReceiveAhead(100, nanos::get);
    ahead.received(10 * MS, true);
    complete(ahead, 100);
    nanos.addAndGet(100 * MS);
    assertThat(ahead.allowance()).isEqualTo(10);
    nanos.addAndGet(10 * MS);
    assertThat(ahead.allowance()).isEqualTo(10);
  }

  private void run(ReceiveAhead ahead, int n, long eachNanos) {
    for (int i = 0; i < n; i++) {
      ahead.completed(eachNanos);
    }
  }

  /** A window of runs after one full receive of 10 ms: each {runs, nanos} pair run so often. */
  private ReceiveAhead afterRuns(int cap, long[]... runs) {
    ReceiveAhead ahead = new ReceiveAhead(cap, nanos::get);
    ahead.received(10 * MS, true);
    for (long[] r : runs) {
      run(ahead, (int) r[0], r[1]);
    }
    nanos.addAndGet(100 * MS);
    return ahead;
  }

  @Test
  void steadyRunsLongerThanARoundTripArePredicted() {
    ReceiveAhead ahead = afterRuns(100, new long[] {50, 100 * MS});
    // Finishing within a round trip (10 ms) plus the gathering (5 ms): from 85 ms of running; not
    // overdue until the mean plus a round trip.
    assertThat(ahead.finishingAges(5 * MS)).containsExactly(85 * MS, 110 * MS);
    // Then the allowance is the running handlers that are about to finish, not the rate's 5.
    assertThat(ahead.allowance(40)).isEqualTo(40);
    assertThat(ahead.allowance(0)).isZero();
    assertThat(ahead.allowance()).isEqualTo(5);
  }

  @Test
  void thePredictionIsCappedLikeTheRate() {
    ReceiveAhead ahead = afterRuns(20, new long[] {50, 100 * MS});
    assertThat(ahead.allowance(40)).isEqualTo(20);
  }

  @Test
  void runsThatVaryTooMuchAreNotPredicted() {
    // A heavy tail: deviation above half the mean.
    ReceiveAhead ahead = afterRuns(100, new long[] {45, 10 * MS}, new long[] {5, 1_000 * MS});
    assertThat(ahead.finishingAges(5 * MS)).isNull();
  }

  @Test
  void runsNoLongerThanARoundTripAreLeftToTheRate() {
    ReceiveAhead ahead = afterRuns(100, new long[] {50, 12 * MS});
    assertThat(ahead.finishingAges(5 * MS)).isNull();
  }

  @Test
  void nothingIsPredictedBeforeARunOrARoundTripIsKnown() {
    ReceiveAhead ahead = new ReceiveAhead(100, nanos::get);
    run(ahead, 50, 100 * MS);
    nanos.addAndGet(100 * MS);
    assertThat(ahead.finishingAges(5 * MS)).isNull(); // no round trip yet
    ReceiveAhead fresh = new ReceiveAhead(100, nanos::get);
    fresh.received(10 * MS, true);
    assertThat(fresh.finishingAges(5 * MS)).isNull(); // no run yet
  }

  @Test
  void messagesGivenBackUnrunSayNothingOfRunTimes() {
    // 40 released behind a failed FIFO head: slots freed, nothing ran.
    ReceiveAhead ahead = afterRuns(100, new long[] {10, 100 * MS}, new long[] {40, -1});
    assertThat(ahead.finishingAges(0)).containsExactly(90 * MS, 110 * MS);
  }
}
