package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large content through pre-signed part URLs on the signature-enforcing server (S3Proxy), with a
 * small threshold so the test stays quick; parts are S3's minimum, 5 MiB.
 */
@WithLocalServices
class MultipartUploadIT {

  private static final String BUCKET = "multipart-uploads";
  private static final long MIB = UploaderConfig.MIB;

  private static S3Server server;
  private static ArtifactUploader uploader;

  @BeforeAll
  static void setUp(LocalS3 s3) {
    server = s3.signing();
    server.createBucket(BUCKET);
    S3ArtifactSigner signer =
        S3ArtifactSigner.create(server.client(), SignerConfig.builder(BUCKET).build());
    uploader =
        ArtifactUploader.create(
            signer,
            UploaderConfig.builder()
                .multipartThreshold(MIB)
                .partSize(UploaderConfig.MIN_PART_SIZE)
                .build());
  }

  @Test
  void fileAboveTheThresholdRoundTripsInParts(@TempDir Path dir) throws IOException {
    byte[] content = randomBytes(11 * MIB + 123);
    Path file = Files.write(dir.resolve("big.bin"), content);

    StoredArtifact stored = uploader.upload("big/file.bin", file, "application/octet-stream");

    assertThat(stored.size()).isEqualTo(content.length);
    assertThat(stored.sha256()).isEqualTo(Sha256.of(content));
    // A multipart ETag ends with the number of parts.
    assertThat(stored.eTag()).endsWith("-3\"");
    byte[] downloaded =
        server.client().getObjectAsBytes(b -> b.bucket(BUCKET).key("big/file.bin")).asByteArray();
    assertThat(Sha256.of(downloaded)).isEqualTo(stored.sha256());
  }

  @Test
  void streamOfUnknownLengthIsUploadedWhole() {
    byte[] content = randomBytes(2 * MIB);

    StoredArtifact stored =
        uploader.upload("big/stream.bin", new ByteArrayInputStream(content), "image/png");

    assertThat(stored.sha256()).isEqualTo(Sha256.of(content));
    assertThat(
            server.client().headObject(b -> b.bucket(BUCKET).key("big/stream.bin")).contentType())
        .isEqualTo("image/png");
    byte[] downloaded =
        server.client().getObjectAsBytes(b -> b.bucket(BUCKET).key("big/stream.bin")).asByteArray();
    assertThat(downloaded).isEqualTo(content);
  }

  @Test
  void smallFileGoesInOnePut(@TempDir Path dir) throws IOException {
    byte[] content = randomBytes(1000);
    Path file = Files.write(dir.resolve("small.bin"), content);

    StoredArtifact stored = uploader.upload("big/small.bin", file, "application/octet-stream");

    assertThat(stored.eTag()).doesNotContain("-");
    assertThat(stored.sha256()).isEqualTo(Sha256.of(content));
  }

  private static byte[] randomBytes(long size) {
    byte[] bytes = new byte[(int) size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
