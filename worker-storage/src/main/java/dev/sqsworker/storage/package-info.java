/**
 * Artifacts through pre-signed S3 URLs.
 *
 * <ul>
 *   <li>{@link dev.sqsworker.storage.ArtifactSigner} holds the S3 credentials and pre-signs uploads
 *       and downloads for validated keys ({@link dev.sqsworker.storage.KeyPolicy}) with bounded
 *       expiries;
 *   <li>{@link dev.sqsworker.storage.ArtifactUploader} needs no credentials: it streams a file, a
 *       byte array or a stream to a pre-signed URL, checks its SHA-256, retries transient failures
 *       and switches to a multipart upload above a threshold;
 *   <li>{@link dev.sqsworker.storage.ArtifactKeys} derives a deterministic key from a message's
 *       idempotency key, so a retried message writes a new version of its own object;
 *   <li>{@link dev.sqsworker.storage.ArtifactRegistry} records in PostgreSQL which version each
 *       message produced, in the caller's transaction if it likes;
 *   <li>{@link dev.sqsworker.storage.BucketSetup} makes a bucket versioned, lifecycled, encrypted
 *       and private, idempotently.
 * </ul>
 */
package dev.sqsworker.storage;
