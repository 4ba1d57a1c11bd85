package dev.sqsworker.core.internal.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReceiveAheadTest {

  private static final long MS = 1_000_000L;

  private final AtomicLong nanos = new AtomicLong(5_000 * MS);

  private void complete(ReceiveAhead ahead, int n) {
    for (int i = 0; i < n; i++) {
      ahead.completed();
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
}
