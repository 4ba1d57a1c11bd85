package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.WithLocalServices;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry alone on a real PostgreSQL: what it keeps, how it is found, when it was made. */
@WithLocalServices
class ArtifactRegistryIT {

  private static final Instant NOW = Instant.parse("2026-05-01T08:30:00Z");

  private static HikariDataSource pool;
  private static ArtifactRegistry registry;

  @BeforeAll
  static void setUp(LocalPostgres postgres) {
    // A pool, as a worker has: the registry only needs a DataSource.
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(postgres.createDatabase("storage_lookup")));
    config.setUsername(LocalPostgres.USER);
    config.setPassword(LocalPostgres.PASSWORD);
    config.setMaximumPoolSize(2);
    pool = new HikariDataSource(config);
    StorageSchema.migrate(pool);
    registry = ArtifactRegistry.create(pool, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Test
  void aMessageWithTwoArtifactsIsFoundByMessageAndByIdempotencyKey() {
    StoredArtifact report = anArtifact("out/report.pdf", "v1", "application/pdf");
    StoredArtifact thumbnail = anArtifact("out/thumb.png", null, "image/png");

    registry.record(report, "msg-7", "job-7");
    registry.record(thumbnail, "msg-7", "job-7");

    assertThat(registry.findByMessageId("msg-7"))
        .extracting(RecordedArtifact::artifact)
        .containsExactly(report, thumbnail);
    assertThat(registry.findByIdempotencyKey("job-7"))
        .allSatisfy(
            r -> {
              assertThat(r.messageId()).isEqualTo("msg-7");
              assertThat(r.createdAt()).isEqualTo(NOW);
            });
    assertThat(registry.findByMessageId("msg-unknown")).isEmpty();
  }

  @Test
  void refusesBlankMessageIds() {
    assertThatThrownBy(() -> registry.record(anArtifact("a", null, "text/plain"), " ", "k"))
        .hasMessage("messageId must not be blank, was ' '");
  }

  private static StoredArtifact anArtifact(String key, String versionId, String contentType) {
    byte[] content = key.getBytes(StandardCharsets.UTF_8);
    return new StoredArtifact(
        "bucket", key, versionId, "\"etag\"", Sha256.of(content), content.length, contentType);
  }
}
