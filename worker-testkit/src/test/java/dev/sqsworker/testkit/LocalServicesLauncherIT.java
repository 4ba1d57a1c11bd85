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
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the launcher as its own process, reads what it prints, and stops it as Ctrl-C would. */
class LocalServicesLauncherIT {

  @Test
  void printsWorkingEndpointsAndStopsThemOnTermination() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LocalServicesLauncher.class.getName())
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
              "SQSWORKER_JDBC_PASSWORD");
      URI s3 = URI.create(exported.get("AWS_ENDPOINT_URL_S3"));
      assertThat(status(s3)).isBetween(200, 499);

      process.destroy(); // SIGTERM: the shutdown hook stops the services.
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> connectionRefused(s3));
    } finally {
      process.destroyForcibly();
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
                    if (pair[0].equals("SQSWORKER_JDBC_PASSWORD")) {
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
