package dev.sqsworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sqsworker.testkit.internal.LocalStackServer;
import org.junit.jupiter.api.Test;

/** The LocalStack backend for users with Docker; skipped with a reason where there is none. */
class LocalStackBackendIT {

  @Test
  void sendsAndReceivesThroughLocalStack() {
    assumeTrue(
        LocalStackServer.dockerAvailable(),
        "No Docker engine reachable: the LocalStack backend is skipped (the embedded one is used)");
    try (LocalSqs sqs = LocalSqs.start(Backend.LOCALSTACK)) {
      String url = sqs.createQueue("localstack-check");
      sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("hello"));
      assertThat(sqs.client().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages())
          .hasSize(1);
    }
  }
}
