package dev.sqsworker.core.internal.settle;

import static dev.sqsworker.core.internal.message.MessageBuilder.T0;
import static dev.sqsworker.core.internal.message.MessageBuilder.aMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.FailureKind;
import dev.sqsworker.core.MutableClock;
import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.PayloadDecodingException;
import dev.sqsworker.core.idempotency.Claim;
import dev.sqsworker.core.idempotency.ClaimResult;
import dev.sqsworker.core.internal.admit.ClaimState;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.message.Outcome;
import dev.sqsworker.core.resilience.DownstreamRateLimitedException;
import dev.sqsworker.core.resilience.DownstreamUnavailableException;
import dev.sqsworker.core.resilience.HttpStatusException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettlementPolicyTest {

  private static final String QUEUE = "http://sqs/000000000000/orders";

  private final MutableClock clock = new MutableClock(T0);
  private final SettlementPolicy policy =
      new SettlementPolicy(
          3,
          attempt -> Duration.ofSeconds(1L << attempt),
          List.of(IllegalArgumentException.class),
          QUEUE,
          "worker-1");
  private final InFlightMessage m = aMessage().build();

  private Settlement decide(Happened happened, int attempt, ClaimState claim) {
    return policy.decide(happened, m, attempt, claim, clock.instant());
  }

  private static ClaimState won(int attempts) {
    return ClaimState.of(ClaimResult.claimed(new Claim("k", "t", attempts)));
  }

  private static Happened failed(Throwable error) {
    return new Happened.Failed(error, false, false);
  }

  // --- before the handler ---

  @Test
  void notStartedIsPutBackAtOnceWithoutAnAttempt() {
    assertThat(decide(new Happened.NotStarted("stopping"), 1, ClaimState.none()))
        .isEqualTo(new Settlement.PutBack(0, "stopping"));
  }

  @Test
  void undecodableIsDeadLetteredAsDecodeWithThePublicErrorClass() {
    var s =
        decide(
            new Happened.Undecodable(new PayloadDecodingException("bad", null)),
            1,
            ClaimState.none());
    var reason = ((Settlement.DeadLetter) s).reason();
    assertThat(reason.kind()).isEqualTo(FailureKind.DECODE);
    assertThat(reason.errorClass()).isEqualTo("dev.sqsworker.core.PayloadDecodingException");
    assertThat(reason.attempts()).isEqualTo(1);
    assertThat(reason.lastFailureAt()).isEqualTo(T0);
  }

  @Test
  void badKeyIsDeadLetteredAsKey() {
    var s = decide(new Happened.BadKey(new NonRetryableException("NUL")), 1, ClaimState.of(null));
    assertThat(((Settlement.DeadLetter) s).reason().kind()).isEqualTo(FailureKind.KEY);
  }

  @Test
  void storeUnavailableIsPutBackWithoutAnAttempt() {
    assertThat(decide(new Happened.StoreUnavailable(new SQLException("down")), 1, won(1)))
        .isInstanceOf(Settlement.PutBack.class)
        .extracting(Settlement::outcome)
        .isEqualTo(Outcome.RELEASED);
  }

  @Test
  void admittedWithoutIdempotencyRunsAsItsReceiveCount() {
    assertThat(decide(new Happened.Admitted(), 2, ClaimState.none()))
        .isEqualTo(new Settlement.Run(2));
  }

  @Test
  void admittedWithAWonClaimRuns() {
    assertThat(decide(new Happened.Admitted(), 3, won(3))).isEqualTo(new Settlement.Run(3));
  }

  @Test
  void admittedPastMaxAttemptsIsExhaustedWithoutRunning() {
    var s = decide(new Happened.Admitted(), 4, won(4));
    var reason = ((Settlement.DeadLetter) s).reason();
    assertThat(reason.kind()).isEqualTo(FailureKind.EXHAUSTED);
    assertThat(reason.attempts()).isEqualTo(3);
    assertThat(reason.errorClass()).isNull();
    assertThat(reason.errorMessage()).isEqualTo("no attempts left");
  }

  @Test
  void unclaimedBecauseTheStoreFailedIsPutBack() {
    assertThat(decide(new Happened.Admitted(), 1, ClaimState.of(null)))
        .isEqualTo(
            new Settlement.PutBack(
                SettlementPolicy.STORE_DOWN_DELAY_SECONDS, "the idempotency store is unavailable"));
  }

  @Test
  void aHandlerStoppedBecauseItsLeaseCouldNotBeKeptUsesNoAttempt() {
    InFlightMessage stopped = aMessage().build();
    stopped.cancel(
        new dev.sqsworker.core.VisibilityLostException(
            QUEUE,
            stopped.messageId(),
            "its idempotency lease could not be extended",
            new dev.sqsworker.core.idempotency.IdempotencyStoreException("not extended", null)));
    var s = policy.decide(failed(new InterruptedException()), stopped, 3, won(3), clock.instant());
    assertThat(s)
        .isEqualTo(
            new Settlement.PutBack(
                SettlementPolicy.STORE_DOWN_DELAY_SECONDS, "the idempotency store is unavailable"));
  }

  @Test
  void aHandlerStoppedBecauseItsLeaseWasTakenOverIsAFailedAttempt() {
    InFlightMessage stopped = aMessage().build();
    stopped.cancel(
        new dev.sqsworker.core.VisibilityLostException(
            QUEUE, stopped.messageId(), "its idempotency lease was taken over", null));
    var s = policy.decide(failed(new InterruptedException()), stopped, 1, won(1), clock.instant());
    assertThat(s).isInstanceOf(Settlement.Retry.class);
  }

  @Test
  void completedKeyIsDeletedAsDuplicate() {
    var s =
        decide(
            new Happened.Admitted(),
            1,
            ClaimState.of(new ClaimResult("k", ClaimResult.Status.COMPLETED, null, null)));
    assertThat(s).isEqualTo(new Settlement.Delete(true, true));
    assertThat(s.outcome()).isEqualTo(Outcome.DUPLICATE);
  }

  @Test
  void busyKeyIsPutBackForAThirdOfTheLeaseLeft() {
    var s =
        decide(
            new Happened.Admitted(),
            1,
            ClaimState.of(new ClaimResult("k", ClaimResult.Status.BUSY, null, T0.plusSeconds(30))));
    assertThat(((Settlement.PutBack) s).seconds()).isEqualTo(10);
  }

  @Test
  void busyMessagesLookAgainWellBeforeALongLeaseEnds() {
    assertThat(SettlementPolicy.busyDelaySeconds(T0, T0.plusSeconds(30))).isEqualTo(10);
    assertThat(SettlementPolicy.busyDelaySeconds(T0, T0.plusSeconds(3))).isEqualTo(2);
    assertThat(SettlementPolicy.busyDelaySeconds(T0, T0.plusMillis(500))).isEqualTo(2);
    assertThat(SettlementPolicy.busyDelaySeconds(T0, T0.minusSeconds(5))).isEqualTo(1);
    assertThat(SettlementPolicy.busyDelaySeconds(T0, null)).isEqualTo(2);
  }

  @Test
  void reusedKeyIsDeadLettered() {
    var s =
        decide(
            new Happened.Admitted(),
            1,
            ClaimState.of(new ClaimResult("k", ClaimResult.Status.KEY_REUSED, null, null)));
    var reason = ((Settlement.DeadLetter) s).reason();
    assertThat(reason.kind()).isEqualTo(FailureKind.IDEMPOTENCY_KEY_REUSED);
    assertThat(reason.errorMessage()).contains("'k'");
  }

  // --- after the handler ---

  @Test
  void successIsDeletedAfterItsCompletion() {
    assertThat(decide(new Happened.Succeeded(false), 1, won(1)))
        .isEqualTo(new Settlement.Delete(false, false));
    assertThat(decide(new Happened.Succeeded(true), 1, won(1)))
        .isEqualTo(new Settlement.Delete(false, true));
  }

  @Test
  void lostClaimIsPutBackAtOnce() {
    assertThat(decide(new Happened.ClaimLost(), 1, won(1)))
        .isInstanceOf(Settlement.PutBack.class)
        .extracting(s -> ((Settlement.PutBack) s).seconds())
        .isEqualTo(0);
  }

  @Test
  void retryableFailureBacksOffByAttempt() {
    var s = decide(failed(new IllegalStateException("boom")), 2, ClaimState.none());
    assertThat(s).isInstanceOf(Settlement.Retry.class);
    assertThat(((Settlement.Retry) s).seconds()).isEqualTo(4);
    assertThat(((Settlement.Retry) s).attempt()).isEqualTo(2);
  }

  @Test
  void retryAfterOfTheServerWinsWhenLonger() {
    var s =
        decide(
            failed(new HttpStatusException(503, Duration.ofSeconds(30), "slow down")),
            1,
            ClaimState.none());
    assertThat(((Settlement.Retry) s).seconds()).isEqualTo(30);
  }

  @Test
  void retryNeverReachesPastTwelveHoursAfterTheReceive() {
    clock.advance(Duration.ofHours(12).minusSeconds(10));
    var s =
        decide(
            failed(new HttpStatusException(503, Duration.ofHours(1), "later")),
            1,
            ClaimState.none());
    assertThat(((Settlement.Retry) s).seconds()).isEqualTo(9);
  }

  @Test
  void failureOnTheLastAttemptIsExhausted() {
    var s = decide(failed(new IllegalStateException("boom")), 3, won(3));
    var reason = ((Settlement.DeadLetter) s).reason();
    assertThat(reason.kind()).isEqualTo(FailureKind.EXHAUSTED);
    assertThat(reason.attempts()).isEqualTo(3);
    assertThat(reason.errorClass()).isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void nonRetryableFailureIsDeadLetteredAtOnce() {
    var s = decide(failed(new NonRetryableException("no")), 1, ClaimState.none());
    assertThat(((Settlement.DeadLetter) s).reason().kind()).isEqualTo(FailureKind.NON_RETRYABLE);
  }

  @Test
  void configuredNonRetryableTypeIsDeadLetteredAtOnce() {
    var s = decide(failed(new IllegalArgumentException("no")), 1, ClaimState.none());
    assertThat(((Settlement.DeadLetter) s).reason().kind()).isEqualTo(FailureKind.NON_RETRYABLE);
  }

  @Test
  void firstFailureComesFromTheFirstReceiveAfterTheFirstAttempt() {
    var again = aMessage().withReceiveCount(2).firstReceivedAt(T0.minusSeconds(60)).build();
    var s = policy.decide(failed(new NonRetryableException("no")), again, 2, ClaimState.none(), T0);
    assertThat(((Settlement.DeadLetter) s).reason().firstFailureAt())
        .isEqualTo(T0.minusSeconds(60));
  }

  @Test
  void openBreakerParksWithoutAnAttemptEvenOnTheLastOne() {
    var s =
        decide(
            failed(
                new RuntimeException(
                    new DownstreamUnavailableException("payments", Duration.ofMillis(1500), null))),
            3,
            won(3));
    assertThat(s).isInstanceOf(Settlement.Park.class);
    var park = (Settlement.Park) s;
    assertThat(park.seconds()).isEqualTo(2);
    assertThat(park.downstream()).isEqualTo("payments");
    assertThat(park.why()).startsWith("circuit breaker of downstream 'payments' is open");
  }

  @Test
  void sharedRateLimitParksSayingSoNotThatABreakerIsOpen() {
    var s =
        decide(
            failed(new DownstreamRateLimitedException("partner", Duration.ofMillis(400))),
            5,
            won(5));
    var park = (Settlement.Park) s;
    assertThat(park.seconds()).isEqualTo(1);
    assertThat(park.why()).startsWith("global rate limit of downstream 'partner'");
  }

  @Test
  void openBreakerWithNoWaitLeftParksForOneSecond() {
    var s =
        decide(
            failed(new DownstreamUnavailableException("payments", Duration.ZERO, null)),
            1,
            ClaimState.none());
    assertThat(((Settlement.Park) s).seconds()).isEqualTo(1);
  }

  @Test
  void cancelledByShutdownIsPutBackWithoutAnAttempt() {
    var s =
        decide(new Happened.Failed(new InterruptedException(), true, false), 3, ClaimState.none());
    assertThat(s).isEqualTo(new Settlement.PutBack(0, "the worker is shutting down"));
  }

  @Test
  void constraintViolationInTheStoreTransactionIsNonRetryable() {
    var s = decide(new Happened.Failed(new SQLException("dup", "23505"), false, true), 1, won(1));
    assertThat(((Settlement.DeadLetter) s).reason().kind()).isEqualTo(FailureKind.NON_RETRYABLE);
  }

  @Test
  void serializationFailureInTheStoreTransactionIsRetried() {
    var s =
        decide(new Happened.Failed(new SQLException("serialize", "40001"), false, true), 1, won(1));
    assertThat(s).isInstanceOf(Settlement.Retry.class);
  }

  @Test
  void connectionFailureInTheStoreTransactionCountsNoAttempt() {
    var s =
        decide(
            new Happened.Failed(new SQLTransientConnectionException("pool timeout"), false, true),
            3,
            won(3));
    assertThat(s).isInstanceOf(Settlement.PutBack.class);
  }

  @Test
  void connectionFailureOutsideTheStoreTransactionIsTheHandlersOwnFailure() {
    var s =
        decide(
            new Happened.Failed(new SQLException("own database", "08006"), false, false),
            1,
            ClaimState.none());
    assertThat(s).isInstanceOf(Settlement.Retry.class);
  }

  @Test
  void undeliveredDeadLetterBacksOffByItsAttempts() {
    assertThat(policy.undeliveredBackoffSeconds(0)).isEqualTo(2);
    assertThat(policy.undeliveredBackoffSeconds(3)).isEqualTo(8);
    assertThat(policy.undeliveredBackoffSeconds(1)).isEqualTo(2);
  }

  // --- batch handlers ---

  @Test
  void aBatchItemRolledBackForAnotherItemsSakeIsPutBackAtOnceWithoutAnAttempt() {
    assertThat(decide(new Happened.RolledBack("another item lost its claim"), 2, won(2)))
        .isEqualTo(new Settlement.PutBack(0, "another item lost its claim"));
  }

  @Test
  void aRejectedBatchItemIsDeadLetteredAtOnceWithItsReason() {
    var s =
        decide(
            new Happened.Failed(new NonRetryableException("unknown customer"), false, true),
            1,
            won(1));
    assertThat(s).isInstanceOf(Settlement.DeadLetter.class);
    var deadLetter = (Settlement.DeadLetter) s;
    assertThat(deadLetter.reason().kind()).isEqualTo(FailureKind.NON_RETRYABLE);
    assertThat(deadLetter.reason().errorMessage()).isEqualTo("unknown customer");
    assertThat(deadLetter.ranNow()).isTrue();
  }
}
