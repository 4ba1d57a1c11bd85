package dev.sqsworker.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every SQS API request a client sends, by action ({@code ReceiveMessage}, {@code
 * DeleteMessageBatch}, ...), as the Micrometer counter {@code sqsworker.sqs.requests} and in
 * memory. Add it to the client's builder:
 *
 * <pre>{@code
 * var counter = new SqsRequestCounter(registry);
 * SqsAsyncClient sqs = SqsAsyncClient.builder()
 *     .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
 *     .build();
 * }</pre>
 *
 * <p>Retried requests count once per HTTP attempt.
 */
public final class SqsRequestCounter implements ExecutionInterceptor {

  private final MeterRegistry registry;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  /** Counts into {@code registry} and in memory. */
  public SqsRequestCounter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
    String action = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    if (action == null) {
      action = "unknown";
    }
    counts.computeIfAbsent(action, a -> new LongAdder()).increment();
    if (registry != null) {
      counters
          .computeIfAbsent(
              action,
              a ->
                  Counter.builder("sqsworker.sqs.requests")
                      .description("SQS API requests sent, by action")
                      .tag("action", a)
                      .register(registry))
          .increment();
    }
  }

  /** Requests sent so far for one action. */
  public long count(String action) {
    LongAdder adder = counts.get(action);
    return adder == null ? 0 : adder.sum();
  }

  /** Requests sent so far, all actions together. */
  public long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** A copy of the counts by action. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    counts.forEach((action, adder) -> copy.put(action, adder.sum()));
    return copy;
  }

  /** Sets every count back to zero (the Micrometer counters keep counting). */
  public void reset() {
    counts.values().forEach(LongAdder::reset);
  }
}
