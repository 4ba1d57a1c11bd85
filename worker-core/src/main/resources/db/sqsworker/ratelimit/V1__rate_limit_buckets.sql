-- sqs-worker global rate limits: one Bucket4j token bucket per downstream (and limit), shared by
-- every task that calls it. The state column is Bucket4j's serialized bucket; the rows are read
-- and written with SELECT ... FOR UPDATE by Bucket4j's PostgreSQL proxy manager.
-- Plain PostgreSQL; teams that run their own migration tool can apply this file as it is.
CREATE TABLE IF NOT EXISTS sqsworker_rate_buckets (
    id         text   PRIMARY KEY,
    state      bytea,
    expires_at bigint
);
