package dev.sqsworker.dlq.cli;

import java.net.URI;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Makes the S3 client that reads large payloads ({@code peek --fetch-payload}) from the same global
 * options as the SQS client: region, profile and endpoint.
 */
@FunctionalInterface
public interface S3ClientFactory {

  /**
   * A client for these options.
   *
   * @param region the region, or {@code null} for the SDK's default chain
   * @param profile the named profile, or {@code null} for the default credentials chain
   * @param endpoint an endpoint override (a local server), or {@code null}
   */
  S3Client create(String region, String profile, URI endpoint);

  /**
   * The SDK's default chains, with the options given overriding them; with an endpoint, path-style
   * addressing and checksums only where S3 requires them, as S3-compatible servers expect.
   */
  static S3ClientFactory standard() {
    return (region, profile, endpoint) -> {
      var builder = AwsClientSettings.apply(S3Client.builder(), region, profile, endpoint);
      if (endpoint != null) {
        builder
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      }
      return builder.build();
    };
  }
}
