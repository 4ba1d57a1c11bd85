/**
 * Fault injection for tests and chaos drills: {@link dev.sqsworker.testkit.faults.SqsFaults} (an
 * AWS SDK {@code ExecutionInterceptor} that fails, throttles, delays or partly fails SQS calls by
 * action and call count), {@link dev.sqsworker.testkit.faults.FaultyDataSource} (a {@code
 * DataSource} whose connections, statements and commits stall or fail on command) and {@link
 * dev.sqsworker.testkit.faults.FaultSchedule} (a downstream call that fails on a schedule). Faults
 * are counted, so a test can assert that they were injected.
 */
package dev.sqsworker.testkit.faults;
