package dev.sqsworker.dlq.cli;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** The global options as every client of the CLI reads them, the way the AWS CLI does. */
final class AwsClientSettings {

  private AwsClientSettings() {}

  /**
   * Applies the options to a client builder: the profile's credentials (else the default chain),
   * the region (else the SDK's chain; with an endpoint and no region anywhere, us-east-1, since a
   * local server still needs one to sign with), and the endpoint override.
   */
  static <B extends AwsClientBuilder<B, ?>> B apply(
      B builder, String region, String profile, URI endpoint) {
    builder.credentialsProvider(
        profile == null
            ? DefaultCredentialsProvider.builder().build()
            : ProfileCredentialsProvider.builder().profileName(profile).build());
    if (region != null) {
      builder.region(Region.of(region));
    } else if (endpoint != null) {
      builder.region(defaultRegionOr(Region.US_EAST_1));
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder;
  }

  private static Region defaultRegionOr(Region fallback) {
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
