package dev.sqsworker.core.internal.visibility;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.internal.message.InFlightMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class HeartbeatPlanTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration VISIBILITY = Duration.ofSeconds(30);

  private static InFlightMessage received(String id, Instant at, Duration maxHandling) {
    return new InFlightMessage(
        Message.builder().messageId(id).receiptHandle("rh-" + id).build(),
        at,
        at.plus(VISIBILITY),
        at.plus(maxHandling));
  }

  private static HeartbeatPlan planAt(Instant now, List<InFlightMessage> inFlight) {
    return HeartbeatPlan.plan(
        inFlight, now, VISIBILITY, HeartbeatPlan.extendWhenRemaining(VISIBILITY));
  }

  @Test
  void shortHandlersCostNoExtension() {
    var m = received("a", T0, Duration.ofHours(1));
    assertThat(planAt(T0.plusSeconds(14), List.of(m)).extensions()).isEmpty();
  }

  @Test
  void extendsWhenLessThanHalfTheVisibilityIsLeft() {
    var m = received("a", T0, Duration.ofHours(1));
    HeartbeatPlan plan = planAt(T0.plusSeconds(16), List.of(m));
    assertThat(plan.extensions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isSameAs(m);
              assertThat(e.timeoutSeconds()).isEqualTo(30);
            });
  }

  @Test
  void neverExtendsBeyondTheHandlingDeadline() {
    var m = received("a", T0, Duration.ofSeconds(40));
    HeartbeatPlan plan = planAt(T0.plusSeconds(20), List.of(m));
    assertThat(plan.extensions())
        .singleElement()
        .extracting(HeartbeatPlan.Extension::timeoutSeconds)
        .isEqualTo(20);
  }

  @Test
  void messagesPastTheirDeadlineExpire() {
    var m = received("a", T0, Duration.ofSeconds(40));
    HeartbeatPlan plan = planAt(T0.plusSeconds(40), List.of(m));
    assertThat(plan.extensions()).isEmpty();
    assertThat(plan.expired()).containsExactly(m);
  }

  @Test
  void skipsCancelledAndAlreadyExtendingMessages() {
    var cancelled = received("a", T0, Duration.ofHours(1));
    cancelled.cancel(new IllegalStateException("x"));
    var extending = received("b", T0, Duration.ofHours(1));
    extending.extending(true);
    assertThat(planAt(T0.plusSeconds(29), List.of(cancelled, extending)).extensions()).isEmpty();
  }

  @Test
  void neverExtendsAMessageWhoseVisibilityTheWorkerSetItself() {
    var retried = received("a", T0, Duration.ofHours(1));
    retried.handOff();
    assertThat(planAt(T0.plusSeconds(29), List.of(retried)).extensions()).isEmpty();
  }

  @Test
  void aThousandDueMessagesAreOneRoundOfExtensions() {
    List<InFlightMessage> many =
        java.util.stream.IntStream.range(0, 1000)
            .mapToObj(i -> received("m" + i, T0, Duration.ofHours(1)))
            .toList();
    assertThat(planAt(T0.plusSeconds(20), many).extensions()).hasSize(1000);
  }

  @Test
  void tickIntervalIsAQuarterOfTheTimeoutWithinBounds() {
    assertThat(HeartbeatPlan.tickInterval(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(500));
    assertThat(HeartbeatPlan.tickInterval(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(5));
  }
}
