package dev.sqsworker.spring.sample;

import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.AwsEndpoint;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The sample's settings for the embedded services, and plain-client checks of their state. */
final class LocalAws {

  private LocalAws() {}

  /** The application's properties for these services, as command-line arguments would set them. */
  static Map<String, String> properties(
      LocalSqs sqs, LocalPostgres postgres, String database, String queueName) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("spring.datasource.url", postgres.jdbcUrl(database));
    p.put("spring.datasource.username", LocalPostgres.USER);
    p.put("spring.datasource.password", LocalPostgres.PASSWORD);
    p.put("sqsworker.sqs.endpoint", sqs.endpoint().uri().toString());
    p.put("sqsworker.sqs.region", sqs.endpoint().region());
    p.put("sqsworker.workers.orders.queue-name", queueName);
    p.put("sqsworker.workers.orders.wait-time", "1s");
    return p;
  }

  /** The SDK's own credential variables for the embedded server. */
  static Map<String, String> credentials(AwsEndpoint endpoint) {
    return Map.of(
        "AWS_ACCESS_KEY_ID", endpoint.accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", endpoint.secretAccessKey());
  }

  static void sendOrder(LocalSqs sqs, String queueUrl, String orderId) {
    sqs.client()
        .sendMessage(
            r ->
                r.queueUrl(queueUrl)
                    .messageBody("{\"orderId\":\"" + orderId + "\",\"address\":\"1 Quay Street\"}")
                    .messageAttributes(
                        Map.of(
                            "Idempotency-Key",
                            MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("order-" + orderId)
                                .build())));
  }

  static void awaitEmpty(LocalSqs sqs, String queueUrl) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                sqs
                    .client()
                    .getQueueAttributes(
                        r ->
                            r.queueUrl(queueUrl)
                                .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributesAsStrings()
                    .values()
                    .stream()
                    .allMatch("0"::equals));
  }

  static int shipments(LocalPostgres postgres, String database, String orderId) {
    return new JdbcTemplate(postgres.dataSource(database))
        .queryForObject(
            "SELECT count(*) FROM shipments WHERE order_id = ?", Integer.class, orderId);
  }
}
