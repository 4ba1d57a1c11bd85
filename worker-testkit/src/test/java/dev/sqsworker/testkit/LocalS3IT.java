package dev.sqsworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

@WithLocalServices
class LocalS3IT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void signingServerAcceptsAPresignedPutAndRejectsATamperedSignature(LocalS3 s3)
      throws IOException, InterruptedException {
    S3Server server = s3.signing();
    String bucket = server.createBucket("testkit-presign");
    PresignedPutObjectRequest presigned =
        server
            .presigner()
            .presignPutObject(
                p ->
                    p.signatureDuration(Duration.ofMinutes(5))
                        .putObjectRequest(o -> o.bucket(bucket).key("hello.txt")));

    assertThat(put(presigned.url().toString(), "hello").statusCode()).isEqualTo(200);
    String stored =
        server.client().getObjectAsBytes(g -> g.bucket(bucket).key("hello.txt")).asUtf8String();
    assertThat(stored).isEqualTo("hello");

    assertThat(put(tamperSignature(presigned.url().toString()), "evil").statusCode())
        .isEqualTo(403);
  }

  @Test
  void fullServerRoundTripsALifecycleConfiguration(LocalS3 s3) {
    S3Client client = s3.full().client();
    String bucket = s3.full().createBucket("testkit-lifecycle");
    LifecycleRule rule =
        LifecycleRule.builder()
            .id("expire-tmp")
            .filter(LifecycleRuleFilter.builder().prefix("tmp/").build())
            .status(ExpirationStatus.ENABLED)
            .expiration(LifecycleExpiration.builder().days(7).build())
            .build();
    client.putBucketLifecycleConfiguration(
        b ->
            b.bucket(bucket)
                .lifecycleConfiguration(
                    BucketLifecycleConfiguration.builder().rules(rule).build()));

    assertThat(client.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules())
        .containsExactly(rule);
  }

  @Test
  void fullServerKeepsTwoVersionsOfOneKey(LocalS3 s3) {
    S3Client client = s3.full().client();
    String bucket = s3.full().createBucket("testkit-versions");
    client.putBucketVersioning(
        b ->
            b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));

    String first =
        client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("one")).versionId();
    String second =
        client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("two")).versionId();

    assertThat(first).isNotBlank().isNotEqualTo(second);
    List<ObjectVersion> versions =
        client.listObjectVersions(b -> b.bucket(bucket).prefix("k")).versions();
    assertThat(versions)
        .extracting(ObjectVersion::versionId)
        .containsExactlyInAnyOrder(first, second);
    assertThat(
            client.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(first)).asUtf8String())
        .isEqualTo("one");
  }

  @Test
  void environmentPointsS3AtTheFullServer(LocalServices services) {
    assertThat(services.environment())
        .containsEntry("AWS_ENDPOINT_URL_S3", services.s3().full().endpoint().uri().toString())
        .containsEntry("AWS_ACCESS_KEY_ID", services.s3().full().endpoint().accessKeyId())
        .containsKeys("AWS_ENDPOINT_URL_SQS", "SQSWORKER_JDBC_URL", "AWS_REGION");
  }

  private static HttpResponse<String> put(String url, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Changes the last hex digit of X-Amz-Signature, keeping the URL well formed. */
  static String tamperSignature(String url) {
    int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
    int end = url.indexOf('&', at);
    int last = (end < 0 ? url.length() : end) - 1;
    char flipped = url.charAt(last) == '0' ? '1' : '0';
    return url.substring(0, last) + flipped + url.substring(last + 1);
  }
}
