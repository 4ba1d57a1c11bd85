package dev.sqsworker.dlq;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A loose wall-clock check of {@code --rate}: 500 messages at 50 per second take about 10 s. Tagged
 * "slow" and left out of the default build because it measures time on a shared machine; the
 * limiter being applied at all is checked without timing in {@code ReplayerThrottleIT}. Run with
 * {@code ./mvnw -pl worker-dlq -am verify -Ddlq.excludedGroups=none -Dit.test=ReplayRateTimingIT}.
 */
@Tag("slow")
@WithLocalServices
class ReplayRateTimingIT {

  @Test
  void fiveHundredMessagesAtFiftyPerSecondTakeAboutTenSeconds(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq("rate-" + UUID.randomUUID(), 3);
    for (int i = 0; i < 500; i++) {
      aDeadLetter().body("r" + i).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }
    DeadLetterQueues dlqs =
        DeadLetterQueues.builder(sqs.client()).receiveWaitTime(Duration.ZERO).build();

    long start = System.nanoTime();
    ReplayResult result =
        dlqs.replay(ReplayRequest.builder(pair.dlqUrl()).ratePerSecond(50).build());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result.replayed()).isEqualTo(500);
    assertThat(took).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(15));
  }
}
