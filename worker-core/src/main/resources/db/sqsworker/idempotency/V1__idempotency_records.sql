-- sqs-worker idempotency records: one row per idempotency key and scope (queue or handler).
-- Plain PostgreSQL; teams that run their own migration tool can apply this file as it is.
CREATE TABLE IF NOT EXISTS sqsworker_idempotency (
    scope        text        NOT NULL,
    key          text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('IN_PROGRESS', 'COMPLETED')),
    payload_hash text        NOT NULL,
    owner        text,
    claim_token  text,
    lease_until  timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    completed_at timestamptz,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE INDEX IF NOT EXISTS sqsworker_idempotency_expires_at ON sqsworker_idempotency (expires_at);
