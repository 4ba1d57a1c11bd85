package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The large-payload options: their variables, their checks, and the S3 client they need. */
class LargePayloadConfigTest {

  private static final String URL = "http://localhost:9324/000000000000/orders";

  @Test
  void offByDefault() {
    WorkerConfig config = WorkerConfig.builder().queueUrl(URL).build();
    assertThat(config.largePayloadBucket()).isEmpty();
    assertThat(config.largePayloadDelete()).isFalse();
  }

  @Test
  void variablesSetBucketAndDeletion() {
    WorkerConfig config =
        WorkerConfig.builder()
            .queueUrl(URL)
            .environment(
                Map.of(
                    "SQSWORKER_LARGE_PAYLOAD_BUCKET", "orders-payloads",
                    "SQSWORKER_LARGE_PAYLOAD_DELETE", "true"))
            .build();
    assertThat(config.largePayloadBucket()).contains("orders-payloads");
    assertThat(config.largePayloadDelete()).isTrue();
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(
            () ->
                WorkerConfig.builder()
                    .queueUrl(URL)
                    .environment(
                        Map.of(
                            "SQSWORKER_LARGE_PAYLOAD_BUCKET", "Not_A_Bucket",
                            "SQSWORKER_LARGE_PAYLOAD_DELETE", "yes"))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("SQSWORKER_LARGE_PAYLOAD_BUCKET")
        .hasMessageContaining("largePayloadDelete must be true or false, was 'yes'");
  }

  @Test
  void aBucketWithoutAnS3ClientIsRefusedAtBuild() {
    try (SqsAsyncClient sqs =
        SqsAsyncClient.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1).build()) {
      assertThatThrownBy(
              () ->
                  Worker.builder()
                      .client(sqs)
                      .config(
                          WorkerConfig.builder()
                              .queueUrl(URL)
                              .largePayloadBucket("payloads")
                              .build())
                      .handler(String.class, (body, ctx) -> {})
                      .build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(
              "largePayloadBucket (SQSWORKER_LARGE_PAYLOAD_BUCKET) needs an S3 client");
    }
  }
}
