package dev.sqsworker.core.internal.receive;

import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.message.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Hands received messages to handler threads within a number of permits, one per message: pollers
 * take permits before they receive, so the worker never holds more messages than it has handler
 * slots for, plus those it expects to free within one receive round trip ({@link ReceiveAhead}; at
 * most {@code receiveAhead} messages). On a FIFO queue the messages of one group run one after
 * another, in order, and after a failure the rest of the group is released unhandled. A {@link
 * BatchSink} gets each receive (on a FIFO queue: each group of it) as one chain, in one call.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** How long a poller waits for a full batch of permits before it takes what is free. */
  static final Duration FILL_WAIT = Duration.ofMillis(20);

  /** The shortest wait between two looks at the running handlers while every slot is busy. */
  private static final long MIN_RECHECK_NANOS = 2_000_000L;

  private final int concurrency;
  private final Permits permits;
  private final java.util.concurrent.locks.ReentrantLock gathering =
      new java.util.concurrent.locks.ReentrantLock();
  private final ReceiveAhead ahead;
  private final java.util.function.LongSupplier nanos;
  private final java.util.function.LongConsumer startWait;
  private int aheadGranted;
  private boolean draining;

  /** Nanoseconds until another running handler is expected to finish within one round trip. */
  private long nextFinishing = Long.MAX_VALUE;

  /** Whether the allowance was last set by the running handlers about to finish. */
  private volatile boolean predicting;

  private final Executor executor;
  private final MessageSink sink;
  private final BatchSink batches;
  private final boolean fifo;
  private final Map<String, InFlightMessage> inFlight = new ConcurrentHashMap<>();
  private final BiFunction<Message, Instant, InFlightMessage> track;

  /**
   * Creates the dispatcher.
   *
   * @param receiveAhead the most messages received beyond the free handler slots (0: none)
   * @param track turns a received message and the time its receive was sent into its in-flight
   *     record (deadlines count from then, so estimates err early)
   * @param nanos a monotonic ticker in nanoseconds
   * @param startWait told, for each chain of messages, how long (ns) it waited from its arrival
   *     until a handler thread took it up
   */
  public Dispatcher(
      int concurrency,
      int receiveAhead,
      Executor executor,
      MessageSink sink,
      boolean fifo,
      BiFunction<Message, Instant, InFlightMessage> track,
      java.util.function.LongSupplier nanos,
      java.util.function.LongConsumer startWait) {
    this.concurrency = concurrency;
    this.permits = new Permits(concurrency);
    this.ahead = new ReceiveAhead(receiveAhead, nanos);
    this.nanos = nanos;
    this.startWait = startWait;
    this.executor = executor;
    this.sink = sink;
    this.batches = sink instanceof BatchSink batchSink ? batchSink : null;
    this.fifo = fifo;
    this.track = track;
  }

  /** A semaphore whose size changes with the receive-ahead allowance. */
  private static final class Permits extends Semaphore {
    private static final long serialVersionUID = 1L;

    Permits(int permits) {
      super(permits);
    }

    void shrink(int by) {
      reducePermits(by);
    }
  }

  /** Grows or shrinks the permits to the slots plus the current receive-ahead allowance. */
  private synchronized int adjustAhead() {
    int target = draining ? 0 : ahead.allowance(finishingSoon());
    int delta = target - aheadGranted;
    if (delta > 0) {
      permits.release(delta);
    } else if (delta < 0) {
      permits.shrink(-delta);
    }
    aheadGranted = target;
    return target;
  }

  /**
   * Running handlers expected to finish within one receive round trip, or -1 when that cannot be
   * predicted; also notes when the next running handler will be expected to ({@link
   * #nextFinishing}).
   */
  private int finishingSoon() {
    nextFinishing = Long.MAX_VALUE;
    predicting = false;
    // A message for a handler about to finish must be gathered (up to the fill wait) and
    // received (a round trip) before the slot frees.
    long[] ages = ahead.finishingAges(FILL_WAIT.toNanos());
    if (ages == null) {
      return -1;
    }
    long now = nanos.getAsLong();
    int soon = 0;
    long next = Long.MAX_VALUE;
    for (InFlightMessage m : inFlight.values()) {
      long since = m.runningSince();
      if (since == InFlightMessage.NOT_RUNNING) {
        continue;
      }
      long age = now - since;
      if (age < ages[0]) {
        next = Math.min(next, ages[0] - age);
      } else if (age <= ages[1]) {
        soon++;
      }
    }
    nextFinishing = next;
    predicting = true;
    return soon;
  }

  /** Messages the pollers may hold now beyond the handler slots. */
  public synchronized int receiveAheadAllowance() {
    return aheadGranted;
  }

  /** A receive that asked for {@code asked} messages took {@code took} and returned {@code got}. */
  public void received(Duration took, int asked, int got) {
    ahead.received(took.toNanos(), got >= asked);
  }

  /** A live view of the messages being handled. */
  public Collection<InFlightMessage> inFlight() {
    return inFlight.values();
  }

  /**
   * Deliveries received and not yet settled, including those whose handler is done but whose
   * completion, deletion or dead-letter send is still under way. (Not the permits in use: pollers
   * hold permits during a long poll before any message arrives.)
   */
  public int inFlightCount() {
    return inFlight.size();
  }

  /**
   * Takes between one and {@code max} permits: a full batch if one frees up shortly, else whatever
   * is free once at least one is; 0 if none freed up within {@code patience} (every handler slot is
   * busy, or another poller is gathering), so the caller can show it is alive and ask again. One
   * poller gathers at a time; the others wait their turn.
   */
  public int acquire(int max, Duration patience) throws InterruptedException {
    // One poller gathers at a time: several waiting side by side would split the slots that free
    // up between them and each receive a few messages, one request for every two or three.
    if (!gathering.tryLock(patience.toMillis(), TimeUnit.MILLISECONDS)) {
      return 0;
    }
    try {
      int want = Math.min(max, concurrency + adjustAhead());
      if (permits.tryAcquire(want, FILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        return want;
      }
      if (!awaitOnePermit(patience)) {
        return 0;
      }
      int got = 1;
      while (got < want && permits.tryAcquire()) {
        got++;
      }
      return got;
    } finally {
      gathering.unlock();
    }
  }

  /**
   * Waits for one permit, up to {@code patience}; each time another running handler comes within
   * one round trip of finishing, the allowance is recomputed, so its message is received while it
   * runs instead of after its slot frees.
   */
  private boolean awaitOnePermit(Duration patience) throws InterruptedException {
    // The semaphore's waits count the patience down (they are real time, as is the patience).
    long left = patience.toNanos();
    while (true) {
      long wait = Math.min(left, recheckIn());
      if (permits.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
        return true;
      }
      left -= wait;
      if (left <= 0) {
        return false;
      }
      adjustAhead();
    }
  }

  /** How long a gathering poller may wait before it must count the running handlers again. */
  private synchronized long recheckIn() {
    return Math.max(nextFinishing, MIN_RECHECK_NANOS);
  }

  /** Whether one poller is gathering permits while another waits its turn (for tests). */
  boolean gathererWaiting() {
    return gathering.isLocked() && gathering.hasQueuedThreads();
  }

  /** Gives back permits that were not used for a message. */
  public void release(int count) {
    if (count > 0) {
      permits.release(count);
    }
  }

  /** Dispatches received messages; each holds one permit until its outcome. */
  public void dispatch(List<Message> messages, Instant receivedAt) {
    long arrived = nanos.getAsLong();
    List<InFlightMessage> tracked = new ArrayList<>(messages.size());
    for (Message message : messages) {
      InFlightMessage m = track.apply(message, receivedAt);
      // By receipt: two deliveries of one message (a visibility lapse, an SQS duplicate) are two
      // entries, each with its own permit.
      inFlight.put(m.receiptHandle(), m);
      tracked.add(m);
    }
    sink.prepare(tracked);
    if (!fifo && batches != null) {
      if (!tracked.isEmpty()) {
        submit(tracked, arrived);
      }
      return;
    }
    if (!fifo) {
      for (InFlightMessage m : tracked) {
        submit(List.of(m), arrived);
      }
      return;
    }
    Map<String, List<InFlightMessage>> groups = new LinkedHashMap<>();
    for (InFlightMessage m : tracked) {
      String group = m.systemAttribute(MessageSystemAttributeName.MESSAGE_GROUP_ID);
      groups.computeIfAbsent(group == null ? "" : group, g -> new ArrayList<>()).add(m);
    }
    groups.values().forEach(chain -> submit(chain, arrived));
  }

  private void submit(List<InFlightMessage> chain, long arrived) {
    try {
      executor.execute(
          () -> {
            startWait.accept(nanos.getAsLong() - arrived);
            if (batches != null) {
              runBatch(chain);
            } else {
              runChain(chain);
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.warn("Handler executor rejected {} messages; releasing them", chain.size(), e);
      for (InFlightMessage m : chain) {
        sink.release(m, "the handler executor is full");
        done(m);
      }
    }
  }

  private void runChain(List<InFlightMessage> chain) {
    boolean releaseRest = false;
    try {
      for (InFlightMessage m : chain) {
        try {
          if (releaseRest) {
            sink.release(m, "an earlier message of its FIFO group did not succeed");
          } else {
            m.running(nanos.getAsLong());
            Outcome outcome = sink.process(m);
            // FIFO order: once one message of a group did not succeed, the rest must wait for it.
            releaseRest = outcome != Outcome.SUCCEEDED && outcome != Outcome.DUPLICATE;
          }
        } catch (RuntimeException e) {
          LOG.error("Unexpected failure processing message {}", m.messageId(), e);
          m.markSettled();
          releaseRest = true;
        } finally {
          done(m);
        }
      }
    } catch (Error e) {
      // The rest of the chain was not reached: free its permits and stop tracking it.
      chain.forEach(InFlightMessage::markSettled);
      throw e;
    } finally {
      chain.forEach(this::done);
    }
  }

  private void runBatch(List<InFlightMessage> chain) {
    try {
      long now = nanos.getAsLong();
      chain.forEach(m -> m.running(now));
      batches.processBatch(chain, fifo);
    } catch (RuntimeException e) {
      LOG.error(
          "Unexpected failure processing a batch of {} messages from {}",
          chain.size(),
          chain.get(0).messageId(),
          e);
      chain.forEach(InFlightMessage::markSettled);
    } catch (Error e) {
      chain.forEach(InFlightMessage::markSettled);
      throw e;
    } finally {
      chain.forEach(this::done);
    }
  }

  /** The handler slot is free once processing returns; the record stays until it is settled. */
  private void done(InFlightMessage m) {
    if (m.releasePermit()) {
      long since = m.runningSince();
      m.running(InFlightMessage.NOT_RUNNING);
      ahead.completed(since == InFlightMessage.NOT_RUNNING ? -1 : nanos.getAsLong() - since);
      if (predicting) {
        // This handler was counted as about to finish, and a message may already be on its way
        // for its slot: shrink the allowance before the slot's permit is given back, or a
        // waiting poller would take that permit for a second message for the same slot.
        adjustAhead();
      }
      permits.release();
      m.settled().whenComplete((ok, e) -> inFlight.remove(m.receiptHandle(), m));
    }
  }

  /**
   * Waits until no message is in flight.
   *
   * @return whether that happened within the timeout
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    synchronized (this) {
      draining = true;
    }
    adjustAhead();
    if (permits.tryAcquire(concurrency, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      permits.release(concurrency);
      return true;
    }
    return false;
  }
}
