package dev.sqsworker.storage;

import dev.sqsworker.storage.internal.HttpArtifactUploader;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Uploads content through pre-signed URLs with the JDK's HTTP client; it holds no credentials. The
 * SHA-256 is computed in a streaming pass before sending (it is signed into the URL, so S3 checks
 * the body against it), computed again while the body streams out (content that changed meanwhile
 * fails the upload) and compared with the checksum S3 echoes. Transient failures (5xx, broken
 * connections) are retried with exponential backoff and a freshly signed URL; a refusal (4xx) is
 * not retried and raises {@link UploadRejectedException}. Content above the configured threshold
 * goes as a multipart upload, one pre-signed URL per part.
 */
public interface ArtifactUploader {

  /**
   * A single-part and multipart uploader signing through {@code signer}.
   *
   * @see UploaderConfig#defaults()
   */
  static ArtifactUploader create(S3ArtifactSigner signer, UploaderConfig config) {
    return new HttpArtifactUploader(signer, signer, config);
  }

  /** An uploader whose single-part and multipart URLs come from different signers. */
  static ArtifactUploader create(
      ArtifactSigner signer, MultipartSigner multipartSigner, UploaderConfig config) {
    return new HttpArtifactUploader(signer, multipartSigner, config);
  }

  /**
   * Uploads a file.
   *
   * @throws ArtifactUploadException if it could not be stored
   * @throws InvalidArtifactKeyException if the signer refuses the key
   */
  StoredArtifact upload(String key, Path file, String contentType);

  /**
   * Uploads bytes.
   *
   * @throws ArtifactUploadException if they could not be stored
   */
  StoredArtifact upload(String key, byte[] content, String contentType);

  /**
   * Uploads a stream of unknown length: it is first copied to a temporary file, because the
   * signature needs its length and SHA-256 and a retry needs to read it again; the file is deleted
   * afterwards. The stream is not closed.
   *
   * @throws ArtifactUploadException if it could not be stored
   */
  StoredArtifact upload(String key, InputStream content, String contentType);
}
