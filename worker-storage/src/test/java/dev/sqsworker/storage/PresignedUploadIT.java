package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Uploads through pre-signed URLs on the server that enforces signatures (S3Proxy): it checks the
 * SigV4 signature (URL, expiry, signed headers such as the content type) and the body against the
 * signed {@code x-amz-checksum-sha256}.
 */
@WithLocalServices
class PresignedUploadIT {

  private static final String BUCKET = "presigned-uploads";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static S3Server server;

  @BeforeAll
  static void bucket(LocalS3 s3) {
    server = s3.signing();
    server.createBucket(BUCKET);
  }

  @Test
  void uploadLandsWithContentTypeAndChecksum() {
    byte[] body = "{\"total\":42}".getBytes(StandardCharsets.UTF_8);
    StoredArtifact stored =
        uploader(signer(Clock.systemUTC())).upload("reports/a.json", body, "application/json");

    assertThat(stored.sha256()).isEqualTo(Sha256.of(body));
    assertThat(stored.size()).isEqualTo(body.length);
    HeadObjectResponse head =
        server
            .client()
            .headObject(
                b -> b.bucket(BUCKET).key("reports/a.json").checksumMode(ChecksumMode.ENABLED));
    assertThat(head.contentType()).isEqualTo("application/json");
    assertThat(head.contentLength()).isEqualTo(body.length);
    assertThat(head.eTag()).isEqualTo(stored.eTag());
    // S3Proxy verified the body against the signed x-amz-checksum-sha256 and keeps it.
    assertThat(head.checksumSHA256()).isEqualTo(stored.sha256().base64());
  }

  @Test
  void tamperedSignatureIsRejected() throws Exception {
    byte[] body = bytes("tampered");
    PresignedRequest request =
        signer(Clock.systemUTC())
            .presignUpload("reports/t.txt", "text/plain", body.length, Sha256.of(body), null);
    URI tampered = URI.create(flipLastSignatureDigit(request.url().toString()));

    HttpResponse<String> response = put(tampered, request, "text/plain", body);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("SignatureDoesNotMatch");
  }

  @Test
  void otherContentTypeIsRejected() throws Exception {
    byte[] body = bytes("typed");
    PresignedRequest request =
        signer(Clock.systemUTC())
            .presignUpload("reports/c.txt", "text/plain", body.length, Sha256.of(body), null);

    HttpResponse<String> response = put(request.url(), request, "text/html", body);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("SignatureDoesNotMatch");
  }

  @Test
  void bodyNotMatchingTheSignedChecksumIsRejected() throws Exception {
    byte[] signedFor = bytes("the real content");
    byte[] sent = bytes("the fake content");
    PresignedRequest request =
        signer(Clock.systemUTC())
            .presignUpload("reports/x.txt", "text/plain", sent.length, Sha256.of(signedFor), null);

    HttpResponse<String> response = put(request.url(), request, "text/plain", sent);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("BadDigest");
  }

  @Test
  void expiredUrlIsRejectedWithoutWaiting() {
    Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    ArtifactUploader uploader = uploader(signer(anHourAgo));

    assertThatThrownBy(() -> uploader.upload("reports/e.txt", bytes("late"), "text/plain"))
        .isInstanceOfSatisfying(
            UploadRejectedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.attempts()).isEqualTo(1);
              assertThat(e.getMessage()).contains("reports/e.txt").contains("expired");
            });
  }

  private static S3ArtifactSigner signer(Clock clock) {
    return S3ArtifactSigner.create(
        server.client(),
        SignerConfig.builder(BUCKET)
            .keyPolicy(KeyPolicy.builder().allowedPrefix("reports/").build())
            .clock(clock)
            .build());
  }

  private static ArtifactUploader uploader(S3ArtifactSigner signer) {
    return ArtifactUploader.create(signer, UploaderConfig.defaults());
  }

  private static HttpResponse<String> put(
      URI url, PresignedRequest request, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    request
        .headers()
        .forEach(
            (name, value) -> {
              if (!name.equalsIgnoreCase("Content-Length")) {
                builder.header(name, value);
              }
            });
    builder.setHeader("Content-Type", contentType);
    return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String flipLastSignatureDigit(String url) {
    int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
    int end = url.indexOf('&', at);
    int last = (end < 0 ? url.length() : end) - 1;
    char flipped = url.charAt(last) == '0' ? '1' : '0';
    return url.substring(0, last) + flipped + url.substring(last + 1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
