package dev.sqsworker.dlq.internal;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.dlq.Letters;
import dev.sqsworker.dlq.ReplayRequest;
import dev.sqsworker.dlq.ReplayResult;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The replay asks the throttle before every send, without measuring time. */
@WithLocalServices
class ReplayerThrottleIT {

  private static final ScanSettings SETTINGS =
      new ScanSettings(Duration.ZERO, Duration.ofSeconds(30));

  private static QueuePair queuesWith(LocalSqs sqs, int messages) {
    QueuePair pair = sqs.createQueueWithDlq("throttle-" + UUID.randomUUID(), 3);
    for (int i = 0; i < messages; i++) {
      aDeadLetter().body("m" + i).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }
    return pair;
  }

  @Test
  void asksTheThrottleOnceForEveryMessageSent(LocalSqs sqs) {
    QueuePair pair = queuesWith(sqs, 12);
    List<Double> rates = new ArrayList<>();
    AtomicInteger permits = new AtomicInteger();
    Replayer replayer =
        new Replayer(
            sqs.client(),
            new QueueDirectory(sqs.client()),
            SETTINGS,
            Clock.systemUTC(),
            rate -> {
              rates.add(rate);
              return permits::incrementAndGet;
            });

    ReplayResult result =
        replayer.replay(
            pair.dlqUrl(), ReplayRequest.builder(pair.dlqUrl()).ratePerSecond(7).build());

    assertThat(rates).containsExactly(7.0);
    assertThat(result.replayed()).isEqualTo(12);
    assertThat(permits).hasValue(12);
  }

  @Test
  void sendsNothingTheThrottleHasNotAllowed(LocalSqs sqs) {
    QueuePair pair = queuesWith(sqs, 12);
    AtomicInteger permits = new AtomicInteger();
    Throttle fivePermits =
        () -> {
          if (permits.incrementAndGet() > 5) {
            throw new InterruptedException("no more permits");
          }
        };
    Replayer replayer =
        new Replayer(
            sqs.client(),
            new QueueDirectory(sqs.client()),
            SETTINGS,
            Clock.systemUTC(),
            rate -> fivePermits);

    ReplayResult result;
    try {
      result = replayer.replay(pair.dlqUrl(), ReplayRequest.builder(pair.dlqUrl()).build());
    } finally {
      Thread.interrupted(); // the throttle's interrupt must not leak into the next test
    }

    assertThat(result.replayed()).isEqualTo(5);
    assertThat(result.interrupted()).isTrue();
    assertThat(Letters.drain(sqs.client(), pair.queueUrl())).hasSize(5);
    assertThat(Letters.drain(sqs.client(), pair.dlqUrl())).hasSize(7);
  }
}
