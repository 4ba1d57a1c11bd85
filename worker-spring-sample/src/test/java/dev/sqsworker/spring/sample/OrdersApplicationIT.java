package dev.sqsworker.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The sample application on embedded ElasticMQ and PostgreSQL, with its web server. */
@WithLocalServices
@SpringBootTest(
    classes = {OrdersApplication.class, OrdersApplicationIT.LocalCredentials.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdersApplicationIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalSqs sqs;
  private static LocalPostgres postgres;
  private static String database;
  private static QueuePair queue;

  @LocalServerPort int port;

  @BeforeAll
  static void services(LocalSqs localSqs, LocalPostgres localPostgres) {
    sqs = localSqs;
    postgres = localPostgres;
    database = postgres.createDatabase("spring_sample");
    queue = sqs.createQueueWithDlq("spring-sample-orders", 5);
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LocalAws.properties(sqs, postgres, database, "spring-sample-orders")
        .forEach((k, v) -> registry.add(k, () -> v));
  }

  @Test
  void shipsEachOrderExactlyOnce_evenWhenItIsSentTwice() {
    for (int i = 0; i < 10; i++) {
      LocalAws.sendOrder(sqs, queue.queueUrl(), "it-" + i);
      LocalAws.sendOrder(sqs, queue.queueUrl(), "it-" + i);
    }
    LocalAws.awaitEmpty(sqs, queue.queueUrl());
    for (int i = 0; i < 10; i++) {
      assertThat(LocalAws.shipments(postgres, database, "it-" + i)).as("it-" + i).isEqualTo(1);
    }
    assertThat(sqs.client().receiveMessage(r -> r.queueUrl(queue.dlqUrl())).messages()).isEmpty();
  }

  @Test
  void theWorkerIsInActuatorsHealthAndReadiness() {
    await()
        .untilAsserted(
            () -> {
              HttpResponse<String> health = get("/actuator/health");
              assertThat(health.statusCode()).isEqualTo(200);
              assertThat(health.body())
                  .contains("\"sqsWorkers\":{\"status\":\"UP\"")
                  .contains("\"orders\":{\"status\":\"UP\"")
                  .contains("spring-sample-orders");
              HttpResponse<String> readiness = get("/actuator/health/readiness");
              assertThat(readiness.statusCode()).isEqualTo(200);
              assertThat(readiness.body())
                  .contains("\"readinessState\"")
                  .contains("\"sqsWorkers\"");
            });
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The embedded server's credentials, for the client the starter builds. */
  @TestConfiguration(proxyBeanMethods = false)
  static class LocalCredentials {
    @Bean
    AwsCredentialsProvider localCredentials() {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(
              sqs.endpoint().accessKeyId(), sqs.endpoint().secretAccessKey()));
    }
  }
}
