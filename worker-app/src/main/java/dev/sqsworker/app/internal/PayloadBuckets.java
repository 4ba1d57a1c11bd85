package dev.sqsworker.app.internal;

import dev.sqsworker.core.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 side of large payloads in the application: one S3 client for every worker that has a
 * large-payload bucket, built from the same AWS settings as the SQS client, and the start-up check
 * that each bucket can be used.
 */
public final class PayloadBuckets {

  /** How long the start-up check waits for S3 per bucket. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  private PayloadBuckets() {}

  /**
   * An S3 client in the settings' region with these credentials; with an endpoint override (a local
   * server) it addresses buckets path-style and computes checksums only where S3 requires them, as
   * S3-compatible servers expect.
   */
  public static S3AsyncClient client(AppSettings settings, AwsCredentialsProvider credentials) {
    S3AsyncClientBuilder builder =
        S3AsyncClient.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials);
    settings
        .s3Endpoint()
        .ifPresent(
            endpoint ->
                builder
                    .endpointOverride(endpoint)
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
    return builder.build();
  }

  /**
   * Checks every worker's large-payload bucket with one {@code HeadBucket} each.
   *
   * @throws ConfigurationException naming each bucket that does not exist or cannot be read, with
   *     the variable it was read from and the worker
   */
  public static void check(S3AsyncClient s3, List<AppSettings.WorkerSettings> workers) {
    Map<String, String> checked = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (AppSettings.WorkerSettings worker : workers) {
      String bucket = worker.worker().largePayloadBucket().orElse(null);
      if (bucket == null) {
        continue;
      }
      String where =
          (workers.size() > 1 ? "worker " + worker.name() + ": " : "")
              + worker.largePayloadVariable()
              + ": bucket '"
              + bucket
              + "' ";
      String problem = checked.computeIfAbsent(bucket, b -> problem(s3, b));
      if (!problem.isEmpty()) {
        problems.add(where + problem);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /** What is wrong with the bucket, empty when nothing is. */
  private static String problem(S3AsyncClient s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket)).get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "could not be checked (interrupted)";
    } catch (TimeoutException e) {
      return "could not be checked: S3 did not answer within " + CHECK_TIMEOUT.toSeconds() + " s";
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof NoSuchBucketException
          || (cause instanceof S3Exception s && s.statusCode() == 404)) {
        return "does not exist";
      }
      if (cause instanceof S3Exception s && s.statusCode() == 403) {
        return "cannot be read: access denied (the worker needs s3:ListBucket and s3:GetObject"
            + " on it)";
      }
      String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
      return "cannot be read: " + reason.replaceAll("\\s*\\R\\s*", " ");
    }
  }
}
