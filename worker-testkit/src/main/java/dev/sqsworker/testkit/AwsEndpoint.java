package dev.sqsworker.testkit;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where an AWS-compatible local service listens and the static credentials it accepts.
 *
 * @param uri the endpoint override to give an SDK client ({@code http://localhost:PORT})
 * @param region the region the service pretends to be in
 * @param accessKeyId the access key id
 * @param secretAccessKey the secret access key
 */
public record AwsEndpoint(URI uri, String region, String accessKeyId, String secretAccessKey) {

  /** The region every local service uses unless told otherwise. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** Checks that no part is missing. */
  public AwsEndpoint {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
  }

  /** The credentials as an SDK provider. */
  public AwsCredentialsProvider credentialsProvider() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(accessKeyId, secretAccessKey));
  }

  /** The region as an SDK value. */
  public Region sdkRegion() {
    return Region.of(region);
  }
}
