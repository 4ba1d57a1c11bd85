package dev.sqsworker.testkit;

import java.util.Objects;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * One S3-compatible server of {@link LocalS3}, with a client and a presigner configured for it.
 * Both use path-style addressing ({@code http://localhost:PORT/bucket/key}), since local servers
 * have no per-bucket host names, and compute request checksums only where an operation requires
 * one, as S3-compatible servers expect. The client and presigner belong to this object: do not
 * close them.
 */
public final class S3Server {

  private final String name;
  private final AwsEndpoint endpoint;
  private final S3Client client;
  private final S3Presigner presigner;

  S3Server(String name, AwsEndpoint endpoint) {
    this.name = Objects.requireNonNull(name, "name");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
    this.client =
        S3Client.builder()
            .endpointOverride(endpoint.uri())
            .region(endpoint.sdkRegion())
            .credentialsProvider(endpoint.credentialsProvider())
            .serviceConfiguration(pathStyle)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
    this.presigner =
        S3Presigner.builder()
            .endpointOverride(endpoint.uri())
            .region(endpoint.sdkRegion())
            .credentialsProvider(endpoint.credentialsProvider())
            .serviceConfiguration(pathStyle)
            .build();
  }

  /** What serves this role ({@code s3proxy}, {@code s3mock} or {@code localstack}). */
  public String name() {
    return name;
  }

  /** Where the server listens and the credentials it accepts. */
  public AwsEndpoint endpoint() {
    return endpoint;
  }

  /** A path-style client for this server. */
  public S3Client client() {
    return client;
  }

  /** A path-style presigner whose URLs point at this server. */
  public S3Presigner presigner() {
    return presigner;
  }

  /**
   * Creates a bucket and returns its name; a bucket this server already has is kept as it is.
   *
   * @throws IllegalArgumentException if the name is null or blank
   */
  public String createBucket(String bucket) {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("bucket name must not be blank, was '" + bucket + "'");
    }
    try {
      client.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException e) {
      // Creating it twice is fine: tests sharing a server may ask for the same bucket.
    }
    return bucket;
  }

  void closeClients() {
    presigner.close();
    client.close();
  }

  @Override
  public String toString() {
    return name + " at " + endpoint.uri();
  }
}
