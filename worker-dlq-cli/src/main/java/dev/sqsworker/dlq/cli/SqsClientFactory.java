package dev.sqsworker.dlq.cli;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Makes the SQS client from the global options, the way the AWS CLI reads them. */
@FunctionalInterface
public interface SqsClientFactory {

  /**
   * A client for these options.
   *
   * @param region the region, or {@code null} for the SDK's default chain
   * @param profile the named profile, or {@code null} for the default credentials chain
   * @param endpoint an endpoint override (a local server), or {@code null}
   */
  SqsClient create(String region, String profile, URI endpoint);

  /** The SDK's default chains, with the options given overriding them. */
  static SqsClientFactory standard() {
    return (region, profile, endpoint) -> {
      var builder = SqsClient.builder();
      AwsCredentialsProvider credentials =
          profile == null
              ? DefaultCredentialsProvider.builder().build()
              : ProfileCredentialsProvider.builder().profileName(profile).build();
      builder.credentialsProvider(credentials);
      if (region != null) {
        builder.region(Region.of(region));
      } else if (endpoint != null) {
        // A local server needs some region to sign with; use the chain's if there is one.
        builder.region(defaultRegionOr(Region.US_EAST_1));
      }
      if (endpoint != null) {
        builder.endpointOverride(endpoint);
      }
      return builder.build();
    };
  }

  private static Region defaultRegionOr(Region fallback) {
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
