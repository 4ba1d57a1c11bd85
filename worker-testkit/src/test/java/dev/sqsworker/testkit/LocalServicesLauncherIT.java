package dev.sqsworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Runs {@code bin/local-services} as its own process on the script's own classpath, reads what it
 * prints, uses the queues it created, and stops it as Ctrl-C would.
 */
class LocalServicesLauncherIT {

  @Test
  void createsQueuesPrintsWorkingEndpointsAndStopsThemOnTermination() throws Exception {
    Process process =
        BinScript.command("local-services", "--queue", "orders", "--dlq")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      Map<String, String> exported = readExports(process);

      assertThat(exported)
          .containsKeys(
              "AWS_ENDPOINT_URL_SQS",
              "AWS_ENDPOINT_URL_S3",
              "AWS_REGION",
              "AWS_ACCESS_KEY_ID",
              "AWS_SECRET_ACCESS_KEY",
              "SQSWORKER_JDBC_URL",
              "SQSWORKER_JDBC_USER",
              "SQSWORKER_JDBC_PASSWORD",
              "SQSWORKER_QUEUE_URL",
              "SQSWORKER_DLQ_URL");
      URI s3 = URI.create(exported.get("AWS_ENDPOINT_URL_S3"));
      assertThat(status(s3)).isBetween(200, 499);
      assertRedrivesToItsDlq(exported);

      process.destroy(); // SIGTERM: the shutdown hook stops the services.
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> connectionRefused(s3));
    } finally {
      process.destroyForcibly();
    }
  }

  private static void assertRedrivesToItsDlq(Map<String, String> exported) {
    try (SqsClient sqs =
        SqsClient.builder()
            .endpointOverride(URI.create(exported.get("AWS_ENDPOINT_URL_SQS")))
            .region(Region.of(exported.get("AWS_REGION")))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        exported.get("AWS_ACCESS_KEY_ID"), exported.get("AWS_SECRET_ACCESS_KEY"))))
            .build()) {
      String queueUrl = exported.get("SQSWORKER_QUEUE_URL");
      assertThat(queueUrl).endsWith("/orders");
      assertThat(exported.get("SQSWORKER_DLQ_URL")).endsWith("/orders-dlq");
      String redrive =
          sqs.getQueueAttributes(
                  b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
              .attributes()
              .get(QueueAttributeName.REDRIVE_POLICY);
      assertThat(redrive)
          .contains("orders-dlq")
          .containsPattern("\"maxReceiveCount\":\"?10\"?[,}]");
    }
  }

  private static Map<String, String> readExports(Process process) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Map<String, String>> exports =
        CompletableFuture.supplyAsync(
            () -> {
              Map<String, String> found = new LinkedHashMap<>();
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("export ")) {
                    String[] pair = line.substring("export ".length()).split("=", 2);
                    found.put(pair[0], pair[1]);
                    if (pair[0].equals("SQSWORKER_DLQ_URL")) {
                      return found;
                    }
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException("The launcher ended before printing: " + found);
            });
    return exports.get(90, TimeUnit.SECONDS);
  }

  private static int status(URI uri) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static boolean connectionRefused(URI uri) throws InterruptedException {
    try {
      status(uri);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return e.getCause() instanceof ConnectException;
    }
  }
}
