package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Retried uploads on the server with versioning (S3Mock), recorded in a real PostgreSQL. S3Mock
 * does not check signatures, so this class is about versions, encryption and the registry.
 */
@WithLocalServices
class VersionedArtifactsIT {

  private static final String BUCKET = "versioned-artifacts";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static S3Server server;
  private static S3ArtifactSigner signer;
  private static ArtifactUploader uploader;
  private static DataSource dataSource;
  private static ArtifactRegistry registry;

  @BeforeAll
  static void setUp(LocalS3 s3, LocalPostgres postgres) {
    server = s3.full();
    server.createBucket(BUCKET);
    server
        .client()
        .putBucketVersioning(
            b ->
                b.bucket(BUCKET)
                    .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    signer = S3ArtifactSigner.create(server.client(), SignerConfig.builder(BUCKET).build());
    uploader = ArtifactUploader.create(signer, UploaderConfig.defaults());
    dataSource = postgres.dataSource(postgres.createDatabase("storage_registry"));
    assertThat(StorageSchema.migrate(dataSource)).isEqualTo(1);
  }

  @Test
  void migratingTwiceRunsNothingTheSecondTime() {
    assertThat(StorageSchema.migrate(dataSource)).isZero();
  }

  @Test
  void retriedMessageWritesASecondVersionAndTheRegistryHoldsIt() throws Exception {
    String key = ArtifactKeys.forIdempotencyKey("reports/", "order-42", "summary.txt");

    StoredArtifact first = uploader.upload(key, bytes("first attempt"), "text/plain");
    registry().record(first, "msg-1", "order-42");
    StoredArtifact second = uploader.upload(key, bytes("second attempt"), "text/plain");
    registry().record(second, "msg-1", "order-42");

    assertThat(first.versionId()).isNotBlank();
    assertThat(second.versionId()).isNotBlank().isNotEqualTo(first.versionId());
    List<RecordedArtifact> recorded = registry().findByIdempotencyKey("order-42");
    assertThat(recorded).singleElement().extracting(RecordedArtifact::artifact).isEqualTo(second);
    assertThat(registry().findByMessageId("msg-1")).hasSize(1);

    assertThat(download(signer.presignDownload(recorded.get(0).artifact(), null)))
        .isEqualTo("second attempt");
    assertThat(download(signer.presignDownload(key, first.versionId(), null)))
        .isEqualTo("first attempt");
  }

  @Test
  void uploadAsksForServerSideEncryption() {
    StoredArtifact stored = uploader.upload("enc/one.txt", bytes("secret"), "text/plain");

    HeadObjectResponse head = server.client().headObject(b -> b.bucket(BUCKET).key(stored.key()));
    assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(head.contentType()).isEqualTo("text/plain");
  }

  @Test
  void recordingInARolledBackTransactionLeavesNoTrace() throws SQLException {
    StoredArtifact stored = uploader.upload("tx/rolled-back.txt", bytes("x"), "text/plain");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      registry().record(c, stored, "msg-rollback", "idem-rollback");
      assertThat(count(c, "idem-rollback")).isEqualTo(1);
      c.rollback();
    }
    assertThat(registry().findByIdempotencyKey("idem-rollback")).isEmpty();
  }

  private static int count(Connection c, String idempotencyKey) throws SQLException {
    try (var s =
        c.prepareStatement("SELECT count(*) FROM sqsworker_artifact WHERE idempotency_key = ?")) {
      s.setString(1, idempotencyKey);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static ArtifactRegistry registry() {
    if (registry == null) {
      registry = ArtifactRegistry.create(dataSource);
    }
    return registry;
  }

  private static String download(PresignedRequest request)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(request.url()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
