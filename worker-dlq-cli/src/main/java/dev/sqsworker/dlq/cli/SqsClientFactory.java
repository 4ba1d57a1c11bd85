package dev.sqsworker.dlq.cli;

import java.net.URI;
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
    return (region, profile, endpoint) ->
        AwsClientSettings.apply(SqsClient.builder(), region, profile, endpoint).build();
  }
}
