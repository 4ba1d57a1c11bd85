/**
 * Real local services for tests, benchmarks and the demo: an embedded SQS-compatible server
 * (ElasticMQ), S3-compatible servers and a throwaway PostgreSQL, each on a free port.
 *
 * <p>Start them together with {@link dev.sqsworker.testkit.LocalServices#start()}, one at a time
 * with {@link dev.sqsworker.testkit.LocalSqs#start()} and friends, or in JUnit 5 tests with {@link
 * dev.sqsworker.testkit.WithLocalServices}.
 */
package dev.sqsworker.testkit;
