package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What the signer puts into a URL; signing is local, so no server is needed. */
class SignerTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final S3Client client =
      S3Client.builder()
          .region(Region.EU_WEST_1)
          .endpointOverride(URI.create("http://localhost:9000"))
          .forcePathStyle(true)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "SECRET")))
          .build();

  private final S3ArtifactSigner signer =
      S3ArtifactSigner.create(
          client,
          SignerConfig.builder("artifacts")
              .keyPolicy(KeyPolicy.builder().allowedPrefix("reports/").build())
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .build());

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void uploadSignsContentTypeLengthChecksumAndEncryption() {
    byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
    PresignedRequest request =
        signer.presignUpload("reports/a b.txt", "text/plain", body.length, Sha256.of(body), null);

    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.url().getRawPath()).isEqualTo("/artifacts/reports/a%20b.txt");
    assertThat(request.headers())
        .containsEntry("Content-Type", "text/plain")
        .containsEntry("Content-Length", "5")
        .containsEntry("x-amz-checksum-sha256", Sha256.of(body).base64())
        .containsEntry("x-amz-server-side-encryption", "AES256")
        .doesNotContainKey("Host");
    String query = request.url().getRawQuery();
    assertThat(query)
        .contains("X-Amz-Date=20260301T120000Z")
        .contains("X-Amz-Expires=900")
        .contains("X-Amz-Credential=AKID%2F20260301%2Feu-west-1%2Fs3%2Faws4_request")
        .contains(
            "X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3B"
                + "x-amz-checksum-sha256%3Bx-amz-server-side-encryption");
    assertThat(request.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
  }

  @Test
  void downloadNamesTheVersion() {
    PresignedRequest request = signer.presignDownload("reports/a.txt", "v1", Duration.ofHours(1));

    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.url().getRawQuery()).contains("versionId=v1").contains("X-Amz-Expires=3600");
    assertThat(request.headers()).isEmpty();
    assertThat(request.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void refusesKeysAndExpiriesOutOfBounds() {
    assertThatThrownBy(() -> signer.presignDownload("secrets/a.txt", null, null))
        .isInstanceOf(InvalidArtifactKeyException.class)
        .hasMessageContaining("'secrets/a.txt'");
    assertThatThrownBy(() -> signer.presignDownload("reports/a.txt", null, Duration.ofDays(8)))
        .hasMessageContaining("expiry must be positive and at most PT168H");
    assertThatThrownBy(
            () -> signer.presignUpload("reports/a.txt", " ", 1, Sha256.of(new byte[1]), null))
        .hasMessageContaining("contentType");
  }
}
