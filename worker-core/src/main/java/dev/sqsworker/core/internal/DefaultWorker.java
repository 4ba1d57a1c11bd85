package dev.sqsworker.core.internal;

import dev.sqsworker.core.BatchMessageHandler;
import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.DeadLetterPublisher;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.WorkerHealth;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.internal.admit.IdempotencyGate;
import dev.sqsworker.core.internal.admit.LargePayloads;
import dev.sqsworker.core.internal.admit.PayloadDecoder;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.receive.Dispatcher;
import dev.sqsworker.core.internal.receive.MessageSink;
import dev.sqsworker.core.internal.receive.PauseTracker;
import dev.sqsworker.core.internal.receive.Poller;
import dev.sqsworker.core.internal.run.BatchRunner;
import dev.sqsworker.core.internal.run.HandlerObservations;
import dev.sqsworker.core.internal.run.HandlerRunner;
import dev.sqsworker.core.internal.settle.Acknowledger;
import dev.sqsworker.core.internal.settle.SettlementPolicy;
import dev.sqsworker.core.internal.settle.SqsActions;
import dev.sqsworker.core.internal.settle.SqsDeadLetterPublisher;
import dev.sqsworker.core.internal.support.NamedThreads;
import dev.sqsworker.core.internal.support.WorkerMetrics;
import dev.sqsworker.core.internal.visibility.VisibilityHeartbeat;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The {@link Worker} implementation: wires pollers, dispatcher, heartbeat and acknowledgement. */
public final class DefaultWorker implements Worker {

  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorker.class);
  private static final Duration AFTER_GRACE = Duration.ofSeconds(2);
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

  /** A poller that has not moved for its long-poll wait plus this is reported stuck. */
  static final Duration STUCK_AFTER = Duration.ofSeconds(60);

  /**
   * What a worker is built from.
   *
   * @param client the SQS client
   * @param config the configuration
   * @param decoder the payload decoder
   * @param handler the user's handler
   * @param meterRegistry where metrics go
   * @param executor the user's executor, or null for the worker's own threads
   * @param deadLetterPublisher the user's publisher, or null for the DLQ sender
   * @param clock the wall clock
   * @param idempotency the idempotency configuration, or null
   * @param observationRegistry where observations go (tracing); NOOP for none
   * @param nanoTime the source of elapsed time in nanoseconds (handler timer, batch windows, paused
   *     time, shutdown waits)
   * @param largePayloads resolves the pointers of payloads kept in S3 (none when not configured)
   * @param batchHandler the user's batch handler, or null (then {@code handler} is set)
   */
  public record Parts(
      SqsAsyncClient client,
      WorkerConfig config,
      PayloadDecoder.Bound decoder,
      MessageHandler<?> handler,
      MeterRegistry meterRegistry,
      ExecutorService executor,
      DeadLetterPublisher deadLetterPublisher,
      Clock clock,
      Idempotency idempotency,
      ObservationRegistry observationRegistry,
      LongSupplier nanoTime,
      LargePayloads largePayloads,
      BatchMessageHandler<?> batchHandler) {}

  private final Parts parts;
  private final WorkerConfig config;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Poller.PollerStatus pollerStatus = new Poller.PollerStatus();
  private final List<Poller> pollers = new ArrayList<>();
  private final List<Thread> pollerThreads = new ArrayList<>();
  private volatile boolean stopping;
  private volatile Supplier<String> pauseCondition = () -> null;
  private ExecutorService ownExecutor;
  private ScheduledExecutorService scheduler;
  private ScheduledExecutorService storeThread;
  private SqsActions actions;
  private Acknowledger acknowledger;
  private Dispatcher dispatcher;
  private VisibilityHeartbeat heartbeat;
  private WorkerMetrics metrics;
  private IdempotencyGate gate = IdempotencyGate.none();
  private PauseTracker pauses;
  private Thread shutdownHook;

  /** Creates a worker from its parts; {@link #start()} starts it. */
  public DefaultWorker(Parts parts) {
    this.parts = parts;
    this.config = parts.config();
  }

  /**
   * Polling pauses while this returns a reason (e.g. "circuit breaker payments is OPEN") and
   * resumes when it returns null. Set before {@link #start()}.
   */
  public void pauseWhen(Supplier<String> condition) {
    this.pauseCondition = condition;
  }

  @Override
  public void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException(
          "Worker for " + config.queueUrl() + " was already started (" + state.get() + ")");
    }
    try {
      startParts();
    } catch (RuntimeException e) {
      state.set(State.STOPPED);
      try {
        stopParts();
      } finally {
        terminated.countDown();
      }
      throw e;
    }
    LOG.info(
        "Worker {} started on {} (concurrency {}, {} pollers)",
        config.workerId(),
        config.queueUrl(),
        config.concurrency(),
        config.pollers());
  }

  private void startParts() {
    Idempotency idempotency = parts.idempotency();
    if (idempotency != null && idempotency.ttl().compareTo(config.maxHandlingTime()) < 0) {
      throw new ConfigurationException(
          List.of(
              "idempotency ttl (SQSWORKER_IDEMPOTENCY_TTL) "
                  + idempotency.ttl()
                  + " is shorter than maxHandlingTime (SQSWORKER_MAX_HANDLING_TIME) "
                  + config.maxHandlingTime()
                  + ": a key could expire while its handler still runs"));
    }
    QueueCheck.Result queues =
        QueueCheck.check(parts.client(), config, parts.deadLetterPublisher() != null);
    DeadLetterPublisher deadLetters =
        parts.deadLetterPublisher() != null
            ? parts.deadLetterPublisher()
            : new SqsDeadLetterPublisher(
                parts.client(), queues.dlqUrl(), queues.dlqMaxMessageSize());
    String name = config.queueName();
    scheduler =
        Executors.newScheduledThreadPool(
            2, NamedThreads.factory("sqsworker-" + name + "-scheduler", true));
    actions =
        new SqsActions(
            parts.client(),
            config.queueUrl(),
            config.ackFlushInterval(),
            scheduler,
            () -> metrics.invalidReceipts.increment(),
            parts.nanoTime());
    ExecutorService executor = parts.executor();
    if (executor == null) {
      ownExecutor =
          new ThreadPoolExecutor(
              config.concurrency(),
              config.concurrency(),
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              NamedThreads.factory("sqsworker-" + name + "-handler", true));
      ((ThreadPoolExecutor) ownExecutor).allowCoreThreadTimeOut(true);
      executor = ownExecutor;
    }
    // The store's blocking work (probe, purge, lease extension) has its own thread, so it never
    // holds up the SQS batch flushes or the heartbeat's extensions on the scheduler.
    storeThread =
        Executors.newSingleThreadScheduledExecutor(
            NamedThreads.factory("sqsworker-" + name + "-store", true));
    gate = IdempotencyGate.of(parts.idempotency(), config, parts.clock(), parts.nanoTime());
    gate.start(storeThread);
    AtomicReference<Dispatcher> dispatcherRef = new AtomicReference<>();
    metrics =
        new WorkerMetrics(
            parts.meterRegistry(),
            name,
            () -> dispatcherRef.get() == null ? 0 : dispatcherRef.get().inFlightCount(),
            config.latencyBuckets(),
            config.concurrency(),
            () -> state.get() == State.RUNNING && paused() ? 1 : 0,
            () -> state.get() == State.RUNNING ? stuckPollers() : 0,
            config.serviceLevels(),
            parts.clock());
    WorkerMetrics started = metrics;
    pauses =
        new PauseTracker(
            parts.nanoTime(), nanos -> started.pollPaused.record(nanos, TimeUnit.NANOSECONDS));
    SettlementPolicy policy = SettlementPolicy.of(config);
    acknowledger =
        new Acknowledger(
            actions,
            deadLetters,
            gate,
            metrics,
            policy,
            name,
            scheduler,
            parts.clock(),
            () -> stopping,
            m -> parts.largePayloads().succeeded(m.message()));
    MessagePipeline pipeline =
        new MessagePipeline(
            name,
            parts.largePayloads(),
            parts.decoder(),
            gate,
            policy,
            parts.handler() == null
                ? null
                : new HandlerRunner(
                    parts.handler(),
                    gate,
                    config.queueUrl(),
                    config.maxAttempts(),
                    metrics.handlerDuration,
                    parts.nanoTime(),
                    () -> stopping,
                    parts.clock(),
                    config.maxHandlingTime(),
                    new HandlerObservations(parts.observationRegistry(), name)),
            acknowledger,
            metrics,
            parts.clock(),
            () -> stopping);
    dispatcher =
        new Dispatcher(
            config.concurrency(),
            config.receiveAhead(),
            executor,
            batchSinkOr(pipeline, policy),
            config.fifo(),
            this::track,
            parts.nanoTime(),
            nanos -> started.startWait.record(nanos, TimeUnit.NANOSECONDS));
    dispatcherRef.set(dispatcher);
    heartbeat =
        new VisibilityHeartbeat(
            dispatcher.inFlight(),
            actions,
            parts.clock(),
            config.visibilityTimeout(),
            metrics,
            config.queueUrl(),
            gate,
            storeThread);
    heartbeat.start(scheduler);
    ThreadFactory pollerThreadFactory = NamedThreads.factory("sqsworker-" + name + "-poller", true);
    for (int i = 0; i < config.pollers(); i++) {
      Poller poller =
          new Poller(
              parts.client(),
              config,
              dispatcher,
              parts.clock(),
              metrics,
              pollerStatus,
              this::observedPause,
              stopSignal);
      pollers.add(poller);
      Thread thread = pollerThreadFactory.newThread(poller);
      pollerThreads.add(thread);
      thread.start();
    }
  }

  /** With a batch handler, the batch stages around the pipeline's admission; else the pipeline. */
  private MessageSink batchSinkOr(MessagePipeline pipeline, SettlementPolicy policy) {
    if (parts.batchHandler() == null) {
      return pipeline;
    }
    return new BatchPipeline(
        config.queueName(),
        pipeline,
        gate,
        policy,
        new BatchRunner(
            parts.batchHandler(),
            gate,
            config.queueUrl(),
            config.maxAttempts(),
            metrics.handlerDuration,
            metrics.batchSize,
            parts.nanoTime(),
            () -> stopping,
            parts.clock(),
            config.maxHandlingTime()),
        acknowledger,
        metrics,
        parts.clock(),
        () -> stopping);
  }

  /** Why polling is paused now, or null, recorded as paused time. */
  private String observedPause() {
    return pauses.observe(pausedBy());
  }

  /** Why polling is paused now, or null: the user's condition, then the idempotency store. */
  private String pausedBy() {
    String paused = pauseCondition.get();
    if (paused == null) {
      paused = gate.unavailableReason();
    }
    return paused;
  }

  /** The in-flight record of a message whose receive was sent at {@code receivedAt}. */
  private InFlightMessage track(Message message, Instant receivedAt) {
    return new InFlightMessage(
        message,
        receivedAt,
        receivedAt.plus(config.visibilityTimeout()),
        // Until its handler starts (the deadline then counts from the start), a message may wait
        // as long as SQS keeps it.
        receivedAt.plus(WorkerConfig.SQS_MAX_VISIBILITY).minusSeconds(1));
  }

  @Override
  public void close() {
    if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
      if (state.compareAndSet(State.NEW, State.STOPPED)) {
        terminated.countDown();
      }
      return;
    }
    LOG.info("Worker {} on {} stopping", config.workerId(), config.queueUrl());
    stopping = true;
    stopSignal.countDown();
    pollers.forEach(Poller::stop);
    for (Thread thread : pollerThreads) {
      try {
        thread.join(Duration.ofSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    drainInFlight();
    stopParts();
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down.
      }
    }
    state.set(State.STOPPED);
    terminated.countDown();
    LOG.info("Worker {} on {} stopped", config.workerId(), config.queueUrl());
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void drainInFlight() {
    try {
      if (dispatcher.awaitIdle(config.shutdownGrace())) {
        return;
      }
      List<InFlightMessage> left = new ArrayList<>(dispatcher.inFlight());
      LOG.warn(
          "{} handlers on {} still running after the {} grace; cancelling them",
          left.size(),
          config.queueUrl(),
          config.shutdownGrace());
      for (InFlightMessage m : left) {
        m.cancel(new IllegalStateException("worker shutting down"));
      }
      if (!dispatcher.awaitIdle(AFTER_GRACE)) {
        LOG.warn(
            "{} handlers on {} ignored cancellation; their messages return when their visibility"
                + " ends",
            dispatcher.inFlightCount(),
            config.queueUrl());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopParts() {
    if (heartbeat != null) {
      heartbeat.stop();
    }
    gate.close();
    if (actions != null) {
      if (!actions.awaitPending(FLUSH_TIMEOUT) && acknowledger != null) {
        acknowledger.putBackUnsentDeadLetters(AFTER_GRACE);
      }
      actions.close();
    }
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (storeThread != null) {
      storeThread.shutdownNow();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  @Override
  public boolean isHealthy() {
    return health().healthy();
  }

  @Override
  public WorkerHealth health() {
    State current = state.get();
    int alive = (int) pollerThreads.stream().filter(Thread::isAlive).count();
    int errors = pollerStatus.consecutiveErrors();
    Instant last = pollerStatus.lastSuccess();
    String paused = current == State.RUNNING ? pausedBy() : null;
    String detail = "";
    if (current != State.RUNNING) {
      detail = "worker is " + current;
    } else if (alive < config.pollers()) {
      detail = (config.pollers() - alive) + " of " + config.pollers() + " pollers died";
    } else if (stuckPollers() > 0) {
      detail =
          stuckPollers()
              + " of "
              + config.pollers()
              + " pollers made no progress for more than "
              + config.waitTime().plus(STUCK_AFTER).toSeconds()
              + " s (a receive or claim that never returns)";
    } else if (errors >= 3) {
      detail = errors + " receives from " + config.queueUrl() + " failed in a row";
    } else if (gate.unavailableReason() != null) {
      detail = gate.unavailableReason();
    } else if (acknowledger != null && acknowledger.deadLetterFailure() != null) {
      detail = acknowledger.deadLetterFailure();
    }
    return new WorkerHealth(
        config.queueUrl(),
        current,
        detail.isEmpty(),
        alive,
        config.pollers(),
        errors,
        Optional.ofNullable(last),
        dispatcher == null ? 0 : dispatcher.inFlightCount(),
        Optional.ofNullable(paused),
        detail);
  }

  private int stuckPollers() {
    if (paused()) {
      return 0;
    }
    Instant limit = parts.clock().instant().minus(config.waitTime().plus(STUCK_AFTER));
    return (int) pollers.stream().filter(p -> p.lastProgress().isBefore(limit)).count();
  }

  private boolean paused() {
    return pausedBy() != null;
  }

  @Override
  public State state() {
    return state.get();
  }

  @Override
  public WorkerConfig config() {
    return config;
  }

  @Override
  public synchronized void registerShutdownHook() {
    if (shutdownHook == null) {
      shutdownHook = new Thread(this::close, "sqsworker-" + config.queueName() + "-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** Thrown internally when a start check fails; carried as a {@link ConfigurationException}. */
  static ConfigurationException configProblem(String problem, Throwable cause) {
    return new ConfigurationException(problem, cause);
  }
}
