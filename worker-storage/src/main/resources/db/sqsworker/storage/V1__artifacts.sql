-- The artifacts that workers stored, one row per (idempotency key, bucket, object key): a retried
-- message that rewrites its artifact replaces the row with the version of the attempt that
-- completed. Usable as plain SQL without Flyway.
CREATE TABLE sqsworker_artifact (
  id              BIGSERIAL    PRIMARY KEY,
  bucket          TEXT         NOT NULL,
  object_key      TEXT         NOT NULL,
  version_id      TEXT,
  sha256          CHAR(64)     NOT NULL,
  size_bytes      BIGINT       NOT NULL CHECK (size_bytes >= 0),
  content_type    TEXT         NOT NULL,
  etag            TEXT         NOT NULL,
  message_id      TEXT         NOT NULL,
  idempotency_key TEXT         NOT NULL,
  created_at      TIMESTAMPTZ  NOT NULL,
  CONSTRAINT sqsworker_artifact_one_per_object UNIQUE (idempotency_key, bucket, object_key)
);

CREATE INDEX sqsworker_artifact_by_message ON sqsworker_artifact (message_id);
