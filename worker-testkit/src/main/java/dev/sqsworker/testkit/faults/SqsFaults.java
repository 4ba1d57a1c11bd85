package dev.sqsworker.testkit.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Injects faults into the SQS calls of a client: errors (5xx, throttling, any error code), latency,
 * and partial failures of batch calls, chosen by action and by call count or probability.
 *
 * <pre>{@code
 * SqsFaults faults = new SqsFaults(42);
 * SqsAsyncClient client = sqs.newAsyncClient(b ->
 *     b.overrideConfiguration(o -> o.addExecutionInterceptor(faults)));
 * faults.on("DeleteMessageBatch").calls(1, 2).serverError();     // the first two deletes fail
 * faults.on("ReceiveMessage").probability(0.05).throttle();      // 5 % of receives throttled
 * faults.on("ChangeMessageVisibilityBatch").always().failEntries("ReceiptHandleIsInvalid");
 * faults.on("*").always().delay(Duration.ofMillis(200));         // every call 200 ms late
 * }</pre>
 *
 * <p>Errors are thrown before the request is sent (per call, not per SDK retry attempt), so the
 * caller sees them whatever its retry policy, and the server never sees the call. A delay blocks
 * the thread that sends the request. {@code failEntries} turns every entry of the chosen batch
 * calls into a failed entry ({@code senderFault=false}) that never reaches the server (a {@code
 * SendMessageBatch} fails as a whole instead). Calls are counted per action from 1 for every call
 * that reaches the interceptor, with or without a fault.
 */
public final class SqsFaults implements ExecutionInterceptor {

  private static final ExecutionAttribute<Set<String>> FAILED_ENTRIES =
      new ExecutionAttribute<>("sqsworker.faults.failedEntries");
  private static final ExecutionAttribute<String> FAILED_CODE =
      new ExecutionAttribute<>("sqsworker.faults.failedCode");

  private static final String STAND_IN = "sqsworker-fault-stand-in";

  private final Random random;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** Faults with a fixed seed for probabilities, so a run can be repeated. */
  public SqsFaults(long seed) {
    this.random = new Random(seed);
  }

  /** Faults with seed 0. */
  public SqsFaults() {
    this(0);
  }

  /**
   * Starts a rule for an action ({@code "DeleteMessageBatch"}), or {@code "*"} for every action.
   */
  public Selector on(String action) {
    return new Selector(Objects.requireNonNull(action, "action"));
  }

  /** Removes every rule (the counts stay). */
  public void clear() {
    rules.clear();
  }

  /** How many calls of an action reached the interceptor. */
  public int calls(String action) {
    AtomicInteger n = calls.get(action);
    return n == null ? 0 : n.get();
  }

  /** How many faults all rules injected so far. */
  public int injected() {
    return rules.stream().mapToInt(Rule::injected).sum();
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    int call = calls.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    for (Rule rule : rules) {
      if (!rule.matches(action, call)) {
        continue;
      }
      switch (rule.kind) {
        case ERROR -> {
          rule.count();
          throw error(rule.status, rule.code, action, call);
        }
        case DELAY -> {
          rule.count();
          pause(rule.delay);
        }
        case SIZE_LIMIT -> {
          int size = sendSize(context.request());
          if (size > rule.status) {
            rule.count();
            throw error(
                400,
                "InvalidParameterValue",
                action + " of " + size + " bytes (limit " + rule.status + ")",
                call);
          }
        }
        case FAIL_ENTRIES -> {
          rule.count();
          attributes.putAttribute(FAILED_CODE, rule.code);
          attributes.putAttribute(FAILED_ENTRIES, ConcurrentHashMap.newKeySet());
        }
      }
    }
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    Set<String> failed = attributes.getAttribute(FAILED_ENTRIES);
    if (failed == null) {
      return context.request();
    }
    SdkRequest request = context.request();
    // The failed entries are not sent; SQS refuses an empty batch, so a stand-in entry with an
    // unknown receipt handle goes instead and its result is dropped from the response.
    if (request instanceof DeleteMessageBatchRequest r) {
      r.entries().forEach(e -> failed.add(e.id()));
      return r.toBuilder()
          .entries(
              DeleteMessageBatchRequestEntry.builder().id(STAND_IN).receiptHandle(STAND_IN).build())
          .build();
    }
    if (request instanceof ChangeMessageVisibilityBatchRequest r) {
      r.entries().forEach(e -> failed.add(e.id()));
      return r.toBuilder()
          .entries(
              ChangeMessageVisibilityBatchRequestEntry.builder()
                  .id(STAND_IN)
                  .receiptHandle(STAND_IN)
                  .visibilityTimeout(0)
                  .build())
          .build();
    }
    if (request instanceof SendMessageBatchRequest) {
      // A stand-in would be a real message: fail the whole call instead.
      throw error(500, "InternalError", "SendMessageBatch (every entry failed)", 0);
    }
    return request;
  }

  @Override
  public SdkResponse modifyResponse(
      Context.ModifyResponse context, ExecutionAttributes attributes) {
    Set<String> failed = attributes.getAttribute(FAILED_ENTRIES);
    if (failed == null || failed.isEmpty()) {
      return context.response();
    }
    String code = attributes.getAttribute(FAILED_CODE);
    List<BatchResultErrorEntry> errors = new ArrayList<>();
    for (String id : failed) {
      errors.add(
          BatchResultErrorEntry.builder()
              .id(id)
              .code(code)
              .message("injected fault: " + code)
              .senderFault(false)
              .build());
    }
    SdkResponse response = context.response();
    if (response instanceof DeleteMessageBatchResponse r) {
      return r.toBuilder()
          .successful(withoutStandIn(r.successful(), e -> e.id()))
          .failed(failedWith(r.failed(), errors))
          .build();
    }
    if (response instanceof ChangeMessageVisibilityBatchResponse r) {
      return r.toBuilder()
          .successful(withoutStandIn(r.successful(), e -> e.id()))
          .failed(failedWith(r.failed(), errors))
          .build();
    }
    if (response instanceof SendMessageBatchResponse r) {
      return r.toBuilder()
          .successful(withoutStandIn(r.successful(), e -> e.id()))
          .failed(failedWith(r.failed(), errors))
          .build();
    }
    return response;
  }

  private static SqsException error(int status, String code, String action, int call) {
    return (SqsException)
        SqsException.builder()
            .statusCode(status)
            .message("injected fault on " + action + " call " + call + ": " + code)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage("injected fault")
                    .serviceName("Sqs")
                    .build())
            .build();
  }

  private static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis()); // the injected latency itself
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private enum Kind {
    ERROR,
    DELAY,
    FAIL_ENTRIES,
    SIZE_LIMIT
  }

  /** What SQS counts against MaximumMessageSize: body, attribute names, types and values. */
  private static int sendSize(SdkRequest request) {
    if (!(request instanceof SendMessageRequest send)) {
      return 0;
    }
    int size = utf8(send.messageBody());
    for (var e : send.messageAttributes().entrySet()) {
      size += utf8(e.getKey()) + utf8(e.getValue().dataType()) + utf8(e.getValue().stringValue());
      if (e.getValue().binaryValue() != null) {
        size += e.getValue().binaryValue().asByteArray().length;
      }
    }
    return size;
  }

  private static int utf8(String s) {
    return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /** A batch answer's entries without the stand-in entry that kept the request valid. */
  private static <T> List<T> withoutStandIn(
      List<T> entries, java.util.function.Function<T, String> id) {
    return entries.stream().filter(e -> !STAND_IN.equals(id.apply(e))).toList();
  }

  /** A batch answer's failed entries, the stand-in's dropped and the injected ones added. */
  private static List<BatchResultErrorEntry> failedWith(
      List<BatchResultErrorEntry> failed, List<BatchResultErrorEntry> injected) {
    List<BatchResultErrorEntry> all = new ArrayList<>(failed);
    all.removeIf(e -> STAND_IN.equals(e.id()));
    all.addAll(injected);
    return all;
  }

  /** Chooses the calls of an action that a rule applies to. */
  public final class Selector {
    private final String action;
    private IntPredicate calls = n -> true;
    private double probability = 1.0;
    private int limit = Integer.MAX_VALUE;

    private Selector(String action) {
      this.action = action;
    }

    /** Every call. */
    public Selector always() {
      this.calls = n -> true;
      return this;
    }

    /** Only these calls, counted from 1 per action. */
    public Selector calls(int... numbers) {
      Set<Integer> chosen = ConcurrentHashMap.newKeySet();
      for (int n : numbers) {
        chosen.add(n);
      }
      this.calls = chosen::contains;
      return this;
    }

    /** Calls from {@code first} on (counted from 1 per action). */
    public Selector callsFrom(int first) {
      this.calls = n -> n >= first;
      return this;
    }

    /** Each chosen call with this probability (from the seeded random). */
    public Selector probability(double p) {
      if (p < 0 || p > 1) {
        throw new IllegalArgumentException("probability must be between 0 and 1, was " + p);
      }
      this.probability = p;
      return this;
    }

    /** At most this many faults from this rule. */
    public Selector times(int max) {
      this.limit = max;
      return this;
    }

    /** Fails the calls with an HTTP status and an SQS error code. */
    public Rule fail(int status, String errorCode) {
      return add(new Rule(this, Kind.ERROR, status, errorCode, null));
    }

    /** Fails the calls with a 500 {@code InternalError}. */
    public Rule serverError() {
      return fail(500, "InternalError");
    }

    /** Fails the calls with a 400 {@code ThrottlingException}. */
    public Rule throttle() {
      return fail(400, "ThrottlingException");
    }

    /** Delays the calls before they are sent. */
    public Rule delay(Duration delay) {
      return add(new Rule(this, Kind.DELAY, 0, null, delay));
    }

    /**
     * {@code SendMessage}: refuses a message larger than {@code bytes} (body, attribute names,
     * types and values), as SQS does beyond a queue's {@code MaximumMessageSize}, for servers that
     * do not check it (ElasticMQ).
     */
    public Rule refuseLargerThan(int bytes) {
      return add(new Rule(this, Kind.SIZE_LIMIT, bytes, null, null));
    }

    /** Batch calls: every entry of the chosen calls fails with this error code. */
    public Rule failEntries(String errorCode) {
      return add(new Rule(this, Kind.FAIL_ENTRIES, 0, errorCode, null));
    }

    private Rule add(Rule rule) {
      rules.add(rule);
      return rule;
    }
  }

  /** One injected fault; {@link #remove()} ends it. */
  public final class Rule {
    private final String action;
    private final IntPredicate calls;
    private final double probability;
    private final int limit;
    private final Kind kind;
    private final int status;
    private final String code;
    private final Duration delay;
    private final AtomicInteger injected = new AtomicInteger();

    private Rule(Selector s, Kind kind, int status, String code, Duration delay) {
      this.action = s.action;
      this.calls = s.calls;
      this.probability = s.probability;
      this.limit = s.limit;
      this.kind = kind;
      this.status = status;
      this.code = code;
      this.delay = delay;
    }

    private boolean matches(String name, int call) {
      if (!action.equals("*") && !action.equals(name)) {
        return false;
      }
      if (!calls.test(call) || injected.get() >= limit) {
        return false;
      }
      if (probability >= 1.0) {
        return true;
      }
      synchronized (random) {
        return random.nextDouble() < probability;
      }
    }

    private void count() {
      injected.incrementAndGet();
    }

    /** How many times this rule injected its fault. */
    public int injected() {
      return injected.get();
    }

    /** Stops this rule. */
    public void remove() {
      rules.remove(this);
    }
  }
}
