package dev.sqsworker.storage.internal;

import dev.sqsworker.storage.MultipartUpload;
import dev.sqsworker.storage.PresignedRequest;
import dev.sqsworker.storage.S3ArtifactSigner;
import dev.sqsworker.storage.Sha256;
import dev.sqsworker.storage.SignerConfig;
import dev.sqsworker.storage.StoredArtifact;
import dev.sqsworker.storage.UploadedPart;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Signs with the SDK's own SigV4 signer ({@link AwsV4HttpSigner}) rather than the {@code
 * S3Presigner}: the presigner always dates its signatures with the wall clock, and the signer takes
 * a signing clock, so tests can produce an expired URL without waiting. Object URLs come from the
 * client's {@code S3Utilities}, so endpoint, path-style and key encoding follow the client.
 */
public final class SdkArtifactSigner implements S3ArtifactSigner {

  static final String CHECKSUM_SHA256 = "x-amz-checksum-sha256";
  static final String SSE = "x-amz-server-side-encryption";
  static final String SSE_KMS_KEY = "x-amz-server-side-encryption-aws-kms-key-id";

  private final S3Client client;
  private final SignerConfig config;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final String region;

  /** A signer using the client's credentials, region and endpoint. */
  public SdkArtifactSigner(S3Client client, SignerConfig config) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.region = client.serviceClientConfiguration().region().id();
  }

  @Override
  public SignerConfig config() {
    return config;
  }

  @Override
  public PresignedRequest presignUpload(
      String key, String contentType, long contentLength, Sha256 sha256, Duration expiry) {
    config.keyPolicy().validate(key);
    SdkHttpRequest.Builder request =
        putRequest(objectUri(key, null), contentType, contentLength, sha256);
    addEncryption(request);
    return sign(key, request, expiry);
  }

  @Override
  public PresignedRequest presignDownload(String key, String versionId, Duration expiry) {
    config.keyPolicy().validate(key);
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(objectUri(key, versionId));
    return sign(key, request, expiry);
  }

  @Override
  public MultipartUpload startMultipartUpload(String key, String contentType) {
    config.keyPolicy().validate(key);
    requireContentType(contentType);
    String uploadId =
        client
            .createMultipartUpload(
                b -> {
                  b.bucket(config.bucket())
                      .key(key)
                      .contentType(contentType)
                      .checksumAlgorithm(ChecksumAlgorithm.SHA256);
                  if (config.encryption() != null) {
                    b.serverSideEncryption(config.encryption());
                  }
                  if (config.kmsKeyId() != null) {
                    b.ssekmsKeyId(config.kmsKeyId());
                  }
                })
            .uploadId();
    return new MultipartUpload(config.bucket(), key, uploadId, contentType);
  }

  @Override
  public PresignedRequest presignPart(
      MultipartUpload upload, int partNumber, long contentLength, Sha256 sha256, Duration expiry) {
    requireOwnBucket(upload);
    config.keyPolicy().validate(upload.key());
    if (partNumber < 1 || partNumber > MAX_PARTS) {
      throw new IllegalArgumentException(
          "partNumber must be between 1 and " + MAX_PARTS + ", was " + partNumber);
    }
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.PUT)
            .uri(objectUri(upload.key(), null))
            .appendRawQueryParameter("partNumber", Integer.toString(partNumber))
            .appendRawQueryParameter("uploadId", upload.uploadId());
    request.putHeader("Content-Length", Long.toString(requireLength(contentLength)));
    request.putHeader(CHECKSUM_SHA256, Objects.requireNonNull(sha256, "sha256").base64());
    return sign(upload.key(), request, expiry);
  }

  @Override
  public StoredArtifact completeMultipartUpload(
      MultipartUpload upload, List<UploadedPart> parts, Sha256 sha256, long size) {
    requireOwnBucket(upload);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a multipart upload needs at least one part");
    }
    List<CompletedPart> completed =
        parts.stream()
            .sorted(Comparator.comparingInt(UploadedPart::partNumber))
            .map(
                p ->
                    CompletedPart.builder()
                        .partNumber(p.partNumber())
                        .eTag(p.eTag())
                        .checksumSHA256(p.sha256().base64())
                        .build())
            .toList();
    CompleteMultipartUploadResponse response =
        client.completeMultipartUpload(
            b ->
                b.bucket(upload.bucket())
                    .key(upload.key())
                    .uploadId(upload.uploadId())
                    .multipartUpload(m -> m.parts(completed)));
    return new StoredArtifact(
        upload.bucket(),
        upload.key(),
        response.versionId(),
        response.eTag(),
        sha256,
        size,
        upload.contentType());
  }

  @Override
  public void abortMultipartUpload(MultipartUpload upload) {
    requireOwnBucket(upload);
    try {
      client.abortMultipartUpload(
          b -> b.bucket(upload.bucket()).key(upload.key()).uploadId(upload.uploadId()));
    } catch (NoSuchUploadException e) {
      // Already gone: aborting is idempotent.
    }
  }

  private SdkHttpRequest.Builder putRequest(
      URI uri, String contentType, long contentLength, Sha256 sha256) {
    requireContentType(contentType);
    return SdkHttpRequest.builder()
        .method(SdkHttpMethod.PUT)
        .uri(uri)
        .putHeader("Content-Type", contentType)
        .putHeader("Content-Length", Long.toString(requireLength(contentLength)))
        .putHeader(CHECKSUM_SHA256, Objects.requireNonNull(sha256, "sha256").base64());
  }

  private void addEncryption(SdkHttpRequest.Builder request) {
    ServerSideEncryption encryption = config.encryption();
    if (encryption != null) {
      request.putHeader(SSE, encryption.toString());
    }
    if (config.kmsKeyId() != null) {
      request.putHeader(SSE_KMS_KEY, config.kmsKeyId());
    }
  }

  private PresignedRequest sign(String key, SdkHttpRequest.Builder request, Duration expiry) {
    Duration lifetime = config.checkExpiry(expiry);
    Instant now = config.clock().instant();
    AwsCredentialsIdentity identity =
        client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
    SdkHttpRequest unsigned = request.build();
    SdkHttpRequest signed =
        signer
            .sign(
                r ->
                    r.identity(identity)
                        .request(unsigned)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(
                            AwsV4FamilyHttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, lifetime)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
            .request();
    Map<String, String> headers = new LinkedHashMap<>();
    signed
        .headers()
        .forEach(
            (name, values) -> {
              // The HTTP client sets Host from the URL itself.
              if (!name.equalsIgnoreCase("Host") && !values.isEmpty()) {
                headers.put(name, values.get(0));
              }
            });
    return new PresignedRequest(
        config.bucket(), key, signed.method().name(), signed.getUri(), headers, now.plus(lifetime));
  }

  private URI objectUri(String key, String versionId) {
    try {
      return client
          .utilities()
          .getUrl(b -> b.bucket(config.bucket()).key(key).versionId(versionId))
          .toURI();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("object key gives no valid URL: '" + key + "'", e);
    }
  }

  private void requireOwnBucket(MultipartUpload upload) {
    if (!upload.bucket().equals(config.bucket())) {
      throw new IllegalArgumentException(
          "upload is for bucket '"
              + upload.bucket()
              + "', this signer signs for '"
              + config.bucket()
              + "'");
    }
  }

  private static long requireLength(long contentLength) {
    if (contentLength < 0) {
      throw new IllegalArgumentException(
          "contentLength must not be negative, was " + contentLength);
    }
    return contentLength;
  }

  private static void requireContentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw new IllegalArgumentException(
          "contentType must not be blank, was '" + contentType + "'");
    }
  }
}
