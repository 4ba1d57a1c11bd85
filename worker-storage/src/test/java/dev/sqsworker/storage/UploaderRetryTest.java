package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The uploader's retry rules against a loopback HTTP server that injects faults: which statuses are
 * retried, how long it waits, and what it reports. No real S3 is needed for these.
 */
class UploaderRetryTest {

  private static final byte[] BODY = "payload".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final List<Duration> waits = new ArrayList<>();
  private final AtomicInteger signed = new AtomicInteger();

  private record Reply(int status, Map<String, String> headers, String body) {}

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            received.add(in.readAllBytes());
          }
          Reply reply = replies.poll();
          if (reply == null) {
            reply = new Reply(500, Map.of(), "no reply scripted");
          }
          reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void serverErrorIsRetriedWithAFreshUrlAndBackoff() {
    replies.add(new Reply(503, Map.of(), "<Error><Code>SlowDown</Code></Error>"));
    replies.add(new Reply(200, Map.of("ETag", "\"abc\"", "x-amz-version-id", "v2"), ""));

    StoredArtifact stored = uploader(4).upload("k.txt", BODY, "text/plain");

    assertThat(stored.versionId()).isEqualTo("v2");
    assertThat(stored.eTag()).isEqualTo("\"abc\"");
    assertThat(signed).hasValue(2);
    assertThat(waits).containsExactly(Duration.ofMillis(200));
    assertThat(received).hasSize(2).allSatisfy(body -> assertThat(body).isEqualTo(BODY));
  }

  @Test
  void forbiddenIsReportedClearlyAndNotRetried() {
    replies.add(
        new Reply(
            403,
            Map.of(),
            "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"));

    assertThatThrownBy(() -> uploader(4).upload("k.txt", BODY, "text/plain"))
        .isInstanceOfSatisfying(
            UploadRejectedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.attempts()).isEqualTo(1);
              assertThat(e.errorCode()).isEqualTo("AccessDenied");
              assertThat(e.getMessage())
                  .contains("'k.txt'", "expired", "signature", "Request has expired");
            });
    assertThat(received).hasSize(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastStatus() {
    for (int i = 0; i < 3; i++) {
      replies.add(new Reply(500, Map.of(), "<Error><Code>InternalError</Code></Error>"));
    }

    assertThatThrownBy(() -> uploader(3).upload("k.txt", BODY, "text/plain"))
        .isInstanceOfSatisfying(
            ArtifactUploadException.class,
            e -> {
              assertThat(e).isNotInstanceOf(UploadRejectedException.class);
              assertThat(e.statusCode()).isEqualTo(500);
              assertThat(e.attempts()).isEqualTo(3);
              assertThat(e.getMessage()).contains("InternalError");
            });
    assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void brokenConnectionIsRetried() {
    // The first attempt goes to a port where nothing listens.
    URI dead = URI.create("http://127.0.0.1:" + freePortWithNothingOnIt() + "/bucket/k.txt");
    replies.add(new Reply(200, Map.of("ETag", "\"e\""), ""));
    AtomicInteger calls = new AtomicInteger();
    ArtifactSigner signer =
        new StubSigner() {
          @Override
          URI url() {
            return calls.getAndIncrement() == 0 ? dead : super.url();
          }
        };

    StoredArtifact stored =
        ArtifactUploader.create(signer, new StubSigner(), config(2))
            .upload("k.txt", BODY, "text/plain");

    assertThat(stored.eTag()).isEqualTo("\"e\"");
    assertThat(calls).hasValue(2);
  }

  @Test
  void checksumEchoedDifferentlyByTheServerIsAnError() {
    replies.add(
        new Reply(
            200,
            Map.of("ETag", "\"e\"", "x-amz-checksum-sha256", Sha256.of(new byte[1]).base64()),
            ""));

    assertThatThrownBy(() -> uploader(1).upload("k.txt", BODY, "text/plain"))
        .isInstanceOf(ArtifactUploadException.class)
        .hasMessageContaining("'k.txt'")
        .hasMessageContaining(Sha256.of(BODY).base64());
  }

  @Test
  void answerWithoutETagIsAnError() {
    replies.add(new Reply(200, Map.of(), ""));

    assertThatThrownBy(() -> uploader(1).upload("k.txt", BODY, "text/plain"))
        .isInstanceOf(ArtifactUploadException.class)
        .hasMessageContaining("without an ETag");
  }

  @Test
  void refusedPartAbortsTheMultipartUpload() {
    replies.add(new Reply(200, Map.of("ETag", "\"p1\""), ""));
    replies.add(new Reply(403, Map.of(), "<Error><Code>AccessDenied</Code></Error>"));
    StubSigner signer = new StubSigner();
    byte[] content = new byte[(int) (UploaderConfig.MIN_PART_SIZE + 10)];
    ArtifactUploader uploader =
        ArtifactUploader.create(
            signer,
            signer,
            UploaderConfig.builder()
                .multipartThreshold(1)
                .partSize(UploaderConfig.MIN_PART_SIZE)
                .sleeper(waits::add)
                .build());

    assertThatThrownBy(() -> uploader.upload("big.bin", content, "application/octet-stream"))
        .isInstanceOf(UploadRejectedException.class);
    assertThat(signer.aborted).hasValue(1);
    assertThat(signer.completed).hasValue(0);
    assertThat(received)
        .extracting(b -> b.length)
        .containsExactly((int) UploaderConfig.MIN_PART_SIZE, 10);
  }

  @Test
  void partsCarryTheirOwnChecksumsAndTheWholeOneIsReported() {
    replies.add(new Reply(200, Map.of("ETag", "\"p1\""), ""));
    replies.add(new Reply(200, Map.of("ETag", "\"p2\""), ""));
    StubSigner signer = new StubSigner();
    byte[] content = new byte[(int) (UploaderConfig.MIN_PART_SIZE + 10)];
    content[content.length - 1] = 7;

    StoredArtifact stored =
        ArtifactUploader.create(
                signer,
                signer,
                UploaderConfig.builder()
                    .multipartThreshold(1)
                    .partSize(UploaderConfig.MIN_PART_SIZE)
                    .build())
            .upload("big.bin", content, "application/octet-stream");

    assertThat(stored.sha256()).isEqualTo(Sha256.of(content));
    assertThat(signer.parts)
        .extracting(UploadedPart::partNumber, UploadedPart::eTag, UploadedPart::sha256)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "\"p1\"", Sha256.of(received.get(0))),
            org.assertj.core.groups.Tuple.tuple(2, "\"p2\"", Sha256.of(received.get(1))));
    assertThat(signer.aborted).hasValue(0);
  }

  private ArtifactUploader uploader(int attempts) {
    StubSigner signer = new StubSigner();
    return ArtifactUploader.create(signer, signer, config(attempts));
  }

  private UploaderConfig config(int attempts) {
    return UploaderConfig.builder()
        .maxAttempts(attempts)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
        .sleeper(waits::add)
        .build();
  }

  private static int freePortWithNothingOnIt() {
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs nothing: points every request at the fault-injecting server. */
  private class StubSigner implements ArtifactSigner, MultipartSigner {
    final AtomicInteger aborted = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final List<UploadedPart> parts = new CopyOnWriteArrayList<>();

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/k.txt");
    }

    @Override
    public PresignedRequest presignUpload(
        String key, String contentType, long contentLength, Sha256 sha256, Duration expiry) {
      signed.incrementAndGet();
      return new PresignedRequest(
          "bucket",
          key,
          "PUT",
          url(),
          Map.of(
              "Content-Type", contentType,
              "Content-Length", Long.toString(contentLength),
              "x-amz-checksum-sha256", sha256.base64()),
          Instant.EPOCH);
    }

    @Override
    public PresignedRequest presignDownload(String key, String versionId, Duration expiry) {
      throw new UnsupportedOperationException();
    }

    @Override
    public MultipartUpload startMultipartUpload(String key, String contentType) {
      return new MultipartUpload("bucket", key, "upload-1", contentType);
    }

    @Override
    public PresignedRequest presignPart(
        MultipartUpload upload, int partNumber, long length, Sha256 sha256, Duration expiry) {
      return new PresignedRequest(
          "bucket",
          upload.key(),
          "PUT",
          url(),
          Map.of("x-amz-checksum-sha256", sha256.base64()),
          Instant.EPOCH);
    }

    @Override
    public StoredArtifact completeMultipartUpload(
        MultipartUpload upload, List<UploadedPart> parts, Sha256 sha256, long size) {
      completed.incrementAndGet();
      this.parts.addAll(parts);
      return new StoredArtifact(
          "bucket", upload.key(), null, "\"whole-2\"", sha256, size, upload.contentType());
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
      aborted.incrementAndGet();
    }
  }
}
