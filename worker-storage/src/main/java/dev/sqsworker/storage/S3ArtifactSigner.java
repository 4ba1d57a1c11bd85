package dev.sqsworker.storage;

import dev.sqsworker.storage.internal.SdkArtifactSigner;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The signer for S3: single-object and multipart, signing with the credentials, region and endpoint
 * of an {@link S3Client} and the SDK's SigV4 signer, dated by the configured clock.
 */
public interface S3ArtifactSigner extends ArtifactSigner, MultipartSigner {

  /**
   * A signer that uses this client's credentials, region and endpoint (keep path-style access on
   * for S3-compatible servers). The client is not closed by the signer.
   */
  static S3ArtifactSigner create(S3Client client, SignerConfig config) {
    return new SdkArtifactSigner(client, config);
  }

  /** The configuration this signer uses. */
  SignerConfig config();
}
