package dev.sqsworker.storage.internal;

import dev.sqsworker.storage.ArtifactSigner;
import dev.sqsworker.storage.ArtifactUploadException;
import dev.sqsworker.storage.ArtifactUploader;
import dev.sqsworker.storage.MultipartSigner;
import dev.sqsworker.storage.MultipartUpload;
import dev.sqsworker.storage.PresignedRequest;
import dev.sqsworker.storage.Sha256;
import dev.sqsworker.storage.StoredArtifact;
import dev.sqsworker.storage.UploadRejectedException;
import dev.sqsworker.storage.UploadedPart;
import dev.sqsworker.storage.UploaderConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends content to pre-signed URLs with the JDK HTTP client; see {@link ArtifactUploader}. */
public final class HttpArtifactUploader implements ArtifactUploader {

  private static final Logger LOG = LoggerFactory.getLogger(HttpArtifactUploader.class);
  private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]*)</Code>");
  private static final Pattern ERROR_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
  private static final int BUFFER = 64 * 1024;

  private final ArtifactSigner signer;
  private final MultipartSigner multipartSigner;
  private final UploaderConfig config;
  private final HttpClient http;

  /** An uploader signing through these signers. */
  public HttpArtifactUploader(
      ArtifactSigner signer, MultipartSigner multipartSigner, UploaderConfig config) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.multipartSigner = Objects.requireNonNull(multipartSigner, "multipartSigner");
    this.config = Objects.requireNonNull(config, "config");
    this.http =
        config.httpClient() != null
            ? config.httpClient()
            : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
  }

  @Override
  public StoredArtifact upload(String key, Path file, String contentType) {
    return upload(key, Content.of(file), contentType);
  }

  @Override
  public StoredArtifact upload(String key, byte[] content, String contentType) {
    return upload(key, Content.of(content), contentType);
  }

  @Override
  public StoredArtifact upload(String key, InputStream content, String contentType) {
    Path spool = null;
    try {
      spool = Files.createTempFile("sqsworker-upload", ".tmp");
      try (OutputStream out = Files.newOutputStream(spool)) {
        content.transferTo(out);
      }
      return upload(key, Content.of(spool), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not buffer the upload of '" + key + "'", e);
    } finally {
      if (spool != null) {
        try {
          Files.deleteIfExists(spool);
        } catch (IOException e) {
          LOG.warn("Could not delete the upload buffer {}", spool, e);
        }
      }
    }
  }

  private StoredArtifact upload(String key, Content content, String contentType) {
    try {
      long size = content.size();
      if (size > config.multipartThreshold()) {
        return uploadMultipart(key, content, size, contentType);
      }
      Sha256 sha256 = digest(content, 0, size);
      Response response =
          send(
              key,
              () -> signer.presignUpload(key, contentType, size, sha256, config.urlExpiry()),
              content,
              0,
              size,
              sha256);
      return new StoredArtifact(
          response.bucket, key, response.versionId, response.eTag, sha256, size, contentType);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the content of '" + key + "'", e);
    }
  }

  private StoredArtifact uploadMultipart(String key, Content content, long size, String contentType)
      throws IOException {
    long partSize = config.partSize();
    long partCount = (size + partSize - 1) / partSize;
    if (partCount > MultipartSigner.MAX_PARTS) {
      throw new IllegalArgumentException(
          "content of "
              + size
              + " bytes needs "
              + partCount
              + " parts of "
              + partSize
              + " bytes, more than S3's "
              + MultipartSigner.MAX_PARTS
              + "; raise partSize");
    }
    MultipartUpload upload = multipartSigner.startMultipartUpload(key, contentType);
    try {
      MessageDigest whole = Sha256.newDigest();
      List<UploadedPart> parts = new ArrayList<>();
      for (int number = 1; number <= partCount; number++) {
        long offset = (number - 1) * partSize;
        long length = Math.min(partSize, size - offset);
        Sha256 partSha = digest(content, offset, length, whole);
        int partNumber = number;
        Response response =
            send(
                key,
                () ->
                    multipartSigner.presignPart(
                        upload, partNumber, length, partSha, config.urlExpiry()),
                content,
                offset,
                length,
                partSha);
        parts.add(new UploadedPart(partNumber, response.eTag, partSha));
      }
      return multipartSigner.completeMultipartUpload(
          upload, parts, Sha256.ofDigest(whole.digest()), size);
    } catch (RuntimeException | IOException e) {
      try {
        multipartSigner.abortMultipartUpload(upload);
      } catch (RuntimeException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  /** Sends one body, signing afresh for each attempt, retrying what may succeed next time. */
  private Response send(
      String key,
      Supplier<PresignedRequest> presign,
      Content content,
      long offset,
      long length,
      Sha256 expected) {
    int attempt = 0;
    while (true) {
      attempt++;
      PresignedRequest request = presign.get();
      try {
        Response response = sendOnce(request, content, offset, length, expected, attempt);
        if (response != null) {
          return response;
        }
      } catch (IOException e) {
        if (attempt >= config.maxAttempts()) {
          throw new ArtifactUploadException(
              "Upload of '" + key + "' failed after " + attempt + " attempts: " + e,
              request.bucket(),
              key,
              0,
              attempt,
              e);
        }
        LOG.debug("Upload of '{}' failed (attempt {}), retrying", key, attempt, e);
      } catch (TransientStatus e) {
        if (attempt >= config.maxAttempts()) {
          throw new ArtifactUploadException(
              "Upload of '"
                  + key
                  + "' failed after "
                  + attempt
                  + " attempts, last with HTTP "
                  + e.status
                  + ": "
                  + e.getMessage(),
              request.bucket(),
              key,
              e.status,
              attempt,
              null);
        }
        LOG.debug("Upload of '{}' got HTTP {} (attempt {}), retrying", key, e.status, attempt);
      }
      pause(key, attempt + 1);
    }
  }

  private Response sendOnce(
      PresignedRequest request,
      Content content,
      long offset,
      long length,
      Sha256 expected,
      int attempt)
      throws IOException, TransientStatus {
    MessageDigest streamed = Sha256.newDigest();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.url())
            .timeout(config.requestTimeout())
            .method(
                request.method(),
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> {
                          try {
                            return new DigestInputStream(content.open(offset, length), streamed);
                          } catch (IOException e) {
                            throw new UncheckedIOException(e);
                          }
                        }),
                    length));
    request
        .headers()
        .forEach(
            (name, value) -> {
              // The client derives Content-Length from the body; it refuses to be told.
              if (!name.equalsIgnoreCase("Content-Length")) {
                builder.header(name, value);
              }
            });
    HttpResponse<String> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArtifactUploadException(
          "Interrupted while uploading '" + request.key() + "'",
          request.bucket(),
          request.key(),
          0,
          attempt,
          e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    int status = response.statusCode();
    if ((status >= 500 && status != 501) || status == 408 || status == 429) {
      throw new TransientStatus(status, describe(response.body()));
    }
    if (status >= 300) {
      throw rejected(request, response, attempt);
    }
    Sha256 sent = Sha256.ofDigest(streamed.digest());
    if (!sent.equals(expected)) {
      throw new ArtifactUploadException(
          "The content of '"
              + request.key()
              + "' changed while uploading: signed SHA-256 "
              + expected
              + ", sent "
              + sent,
          request.bucket(),
          request.key(),
          status,
          attempt,
          null);
    }
    Optional<String> echoed = response.headers().firstValue(SdkArtifactSigner.CHECKSUM_SHA256);
    if (echoed.isPresent() && !echoed.get().equals(expected.base64())) {
      throw new ArtifactUploadException(
          "S3 stored '"
              + request.key()
              + "' with SHA-256 "
              + echoed.get()
              + " but "
              + expected.base64()
              + " was sent",
          request.bucket(),
          request.key(),
          status,
          attempt,
          null);
    }
    String eTag =
        response
            .headers()
            .firstValue("ETag")
            .orElseThrow(
                () ->
                    new ArtifactUploadException(
                        "S3 answered the upload of '" + request.key() + "' without an ETag",
                        request.bucket(),
                        request.key(),
                        status,
                        attempt,
                        null));
    String versionId = response.headers().firstValue("x-amz-version-id").orElse(null);
    if ("null".equals(versionId)) {
      // S3's name for "the bucket is not versioned".
      versionId = null;
    }
    return new Response(request.bucket(), eTag, versionId);
  }

  private static UploadRejectedException rejected(
      PresignedRequest request, HttpResponse<String> response, int attempt) {
    int status = response.statusCode();
    String code = match(ERROR_CODE, response.body());
    String why =
        status == 403
            ? "the pre-signed URL has expired or the request does not match its signature"
                + " (URL, content type, length, checksum or encryption header changed)"
            : "the server refused the request";
    return new UploadRejectedException(
        "S3 refused the upload of '"
            + request.key()
            + "' to bucket '"
            + request.bucket()
            + "' with HTTP "
            + status
            + (code.isEmpty() ? "" : " " + code)
            + ": "
            + why
            + describeSuffix(response.body()),
        request.bucket(),
        request.key(),
        status,
        attempt,
        code);
  }

  private void pause(String key, int nextAttempt) {
    try {
      config.sleeper().sleep(config.backoffBefore(nextAttempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArtifactUploadException(
          "Interrupted while waiting to retry the upload of '" + key + "'",
          null,
          key,
          0,
          nextAttempt - 1,
          e);
    }
  }

  private static Sha256 digest(Content content, long offset, long length) throws IOException {
    return digest(content, offset, length, null);
  }

  /** The SHA-256 of a slice, also fed to {@code whole} when given. */
  private static Sha256 digest(Content content, long offset, long length, MessageDigest whole)
      throws IOException {
    MessageDigest part = Sha256.newDigest();
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = content.open(offset, length)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        part.update(buffer, 0, n);
        if (whole != null) {
          whole.update(buffer, 0, n);
        }
      }
    }
    return Sha256.ofDigest(part.digest());
  }

  private static String describe(String body) {
    String code = match(ERROR_CODE, body);
    String message = match(ERROR_MESSAGE, body);
    return (code + " " + message).trim();
  }

  private static String describeSuffix(String body) {
    String message = match(ERROR_MESSAGE, body);
    return message.isEmpty() ? "" : " (" + message + ")";
  }

  private static String match(Pattern pattern, String body) {
    if (body == null) {
      return "";
    }
    Matcher m = pattern.matcher(body);
    return m.find() ? m.group(1) : "";
  }

  private record Response(String bucket, String eTag, String versionId) {}

  /** A status worth retrying: 5xx, 408 or 429. */
  private static final class TransientStatus extends Exception {
    private final int status;

    TransientStatus(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
