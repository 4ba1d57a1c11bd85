package dev.sqsworker.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.WorkerConfig;
import org.junit.jupiter.api.Test;

class QueueCheckTest {

  private static WorkerConfig.Builder config(String queue) {
    return WorkerConfig.builder().queueUrl("http://sqs/000000000000/" + queue);
  }

  @Test
  void theRedriveRecommendationLeavesRoomForReleasesOnAStandardQueue() {
    // 5 runs, a release per run (a park, a busy key, a shutdown), one failed dead-letter send.
    assertThat(QueueCheck.recommendedMaxReceiveCount(config("orders").maxAttempts(5).build()))
        .isEqualTo(11);
  }

  @Test
  void theRedriveRecommendationLeavesRoomForTheReleasesBehindAFailingFifoHead() {
    // Behind up to nine messages of its group in one batch, each released on each of their runs.
    WorkerConfig fifo = config("orders.fifo").maxAttempts(3).batchSize(10).build();
    assertThat(QueueCheck.recommendedMaxReceiveCount(fifo)).isEqualTo(3 + 9 * 3 + 1);
    assertThat(
            QueueCheck.recommendedMaxReceiveCount(
                config("o.fifo").maxAttempts(3).batchSize(1).build()))
        .isEqualTo(3 + 3 + 1);
  }

  @Test
  void theRecommendationStaysWithinWhatSqsAllows() {
    WorkerConfig many = config("orders.fifo").maxAttempts(200).batchSize(10).build();
    assertThat(QueueCheck.recommendedMaxReceiveCount(many)).isEqualTo(1000);
  }
}
