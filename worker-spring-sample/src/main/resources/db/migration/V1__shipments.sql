-- The application's own schema, migrated by Spring Boot's Flyway; sqs-worker's idempotency table
-- has its own Flyway history (sqsworker_idempotency_schema_history) and does not mix with this one.
CREATE TABLE shipments (
    order_id text PRIMARY KEY,
    address  text NOT NULL
);
