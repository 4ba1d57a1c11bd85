package dev.sqsworker.dlq;

import dev.sqsworker.dlq.DlqException.Problem;
import dev.sqsworker.dlq.internal.Exporter;
import dev.sqsworker.dlq.internal.HeldScan;
import dev.sqsworker.dlq.internal.Importer;
import dev.sqsworker.dlq.internal.QueueDirectory;
import dev.sqsworker.dlq.internal.Received;
import dev.sqsworker.dlq.internal.Replayer;
import dev.sqsworker.dlq.internal.ScanSettings;
import dev.sqsworker.dlq.internal.SqsErrors;
import dev.sqsworker.dlq.internal.StatsCollector;
import dev.sqsworker.dlq.internal.Throttle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.StartMessageMoveTaskRequest;

/**
 * Inspect, export and replay dead-letter queues without losing a message.
 *
 * <pre>{@code
 * DeadLetterQueues dlqs = DeadLetterQueues.builder(sqsClient).build();
 * ReplayResult result = dlqs.replay(
 *     ReplayRequest.builder("orders-dlq")
 *         .filter(MessageFilter.parse("errorClass=com.example.TimeoutException"))
 *         .build());
 * }</pre>
 *
 * <p>Queues are given by name, URL or ARN. Operations that read a dead-letter queue hold the
 * messages they receive invisible for the {@linkplain Builder#holdTimeout hold timeout} while they
 * work, and make the ones they leave in the queue visible again as soon as they finish. Moving a
 * message always means: send the copy, and only after SQS accepted it, delete the original. A crash
 * therefore never loses a message; at worst it is in both queues, which the worker's idempotency
 * absorbs.
 *
 * <p>Instances are immutable and may be shared; each call does its own work. The SQS client is the
 * caller's and is not closed here.
 */
public final class DeadLetterQueues {

  /** The attribute a replay sets on each message: how many times it has been replayed. */
  public static final String REPLAY_COUNT_ATTRIBUTE = "sqsworker-replay-count";

  /** Default long-poll wait of each receive: an empty answer ends a pass over the queue. */
  public static final Duration DEFAULT_RECEIVE_WAIT_TIME = Duration.ofSeconds(1);

  /** Default time received messages stay invisible if the process dies while holding them. */
  public static final Duration DEFAULT_HOLD_TIMEOUT = Duration.ofMinutes(5);

  private final SqsClient sqs;
  private final Clock clock;
  private final ScanSettings settings;
  private final boolean requireDeadLetterQueue;
  private final QueueDirectory queues;
  private final Replayer replayer;

  private DeadLetterQueues(Builder builder) {
    this.sqs = builder.sqs;
    this.clock = builder.clock;
    this.settings = new ScanSettings(builder.receiveWaitTime, builder.holdTimeout);
    this.requireDeadLetterQueue = builder.requireDeadLetterQueue;
    this.queues = new QueueDirectory(sqs);
    this.replayer = new Replayer(sqs, queues, settings, clock, Throttle::perSecond);
  }

  /** Starts a builder around an SQS client (which stays the caller's to close). */
  public static Builder builder(SqsClient sqs) {
    return new Builder(sqs);
  }

  /** A builder holding this instance's settings. */
  public Builder toBuilder() {
    return new Builder(sqs)
        .clock(clock)
        .receiveWaitTime(settings.receiveWaitTime())
        .holdTimeout(settings.holdTimeout())
        .requireDeadLetterQueue(requireDeadLetterQueue);
  }

  /**
   * The URL of a queue given by name, URL or ARN.
   *
   * @throws DlqException with {@link Problem#QUEUE_NOT_FOUND} if there is none
   */
  public String queueUrl(String queue) {
    return queues.url(queue);
  }

  /**
   * All queues whose name starts with {@code namePrefix} (all queues for {@code null} or empty),
   * with their counts and dead-letter relations, sorted by name.
   */
  public List<QueueInfo> queues(String namePrefix) {
    List<QueueInfo> infos = new ArrayList<>(queues.describe(queues.list(namePrefix)));
    infos.sort((a, b) -> a.name().compareTo(b.name()));
    return infos;
  }

  /** One queue with its counts, its dead-letter queue and the queues it is the DLQ of. */
  public QueueInfo queue(String queue) {
    return queues.describe(queues.url(queue));
  }

  /**
   * Up to {@code limit} messages of a dead-letter queue, without removing any: they are visible
   * again as soon as this returns.
   */
  public List<DeadLetter> peek(String deadLetterQueue, int limit) {
    return peek(deadLetterQueue, MessageFilter.all(), limit);
  }

  /**
   * Up to {@code limit} messages of a dead-letter queue that the filter takes, without removing
   * any: every message looked at is visible again as soon as this returns.
   */
  public List<DeadLetter> peek(String deadLetterQueue, MessageFilter filter, int limit) {
    Objects.requireNonNull(filter, "filter");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    String url = deadLetterQueueUrl(deadLetterQueue);
    List<DeadLetter> letters = new ArrayList<>();
    try (HeldScan scan = new HeldScan(sqs, url, settings)) {
      while (letters.size() < limit) {
        List<Received> batch = scan.next(10);
        if (batch.isEmpty()) {
          break;
        }
        Instant now = clock.instant();
        for (Received received : batch) {
          if (letters.size() < limit && filter.matches(received.letter(), now)) {
            letters.add(received.letter());
          }
        }
      }
    }
    return letters;
  }

  /** All messages of a dead-letter queue, grouped; see {@link #stats(String, MessageFilter)}. */
  public DlqStats stats(String deadLetterQueue) {
    return stats(deadLetterQueue, MessageFilter.all());
  }

  /**
   * The messages of a dead-letter queue that the filter takes, grouped by fingerprint, error class
   * and source queue. Reads the whole queue (every message becomes visible again at the end).
   */
  public DlqStats stats(String deadLetterQueue, MessageFilter filter) {
    Objects.requireNonNull(filter, "filter");
    String url = deadLetterQueueUrl(deadLetterQueue);
    StatsCollector collector = new StatsCollector();
    long notReached;
    try (HeldScan scan = new HeldScan(sqs, url, settings)) {
      List<Received> batch;
      while (!(batch = scan.next(10)).isEmpty()) {
        Instant now = clock.instant();
        batch.stream()
            .map(Received::letter)
            .filter(letter -> filter.matches(letter, now))
            .forEach(collector::add);
      }
      notReached = scan.notReached();
    }
    return collector.result(url, notReached);
  }

  /**
   * Sends the messages the request selects back to their source queue (from the failure reason) or
   * to the request's destination, and deletes each from the dead-letter queue only after its send
   * succeeded. The copy has the original body and attributes minus {@value
   * dev.sqsworker.core.FailureReason#ATTRIBUTE}, plus {@value #REPLAY_COUNT_ATTRIBUTE}; on a FIFO
   * destination it keeps its message group and gets the deduplication id {@code
   * replay-<count>-<dead letter's message id>}. Messages the filter does not take, and those that
   * cannot be sent (too large, no destination), stay in the dead-letter queue and are visible again
   * when this returns.
   *
   * <p>A replay ends: it takes the messages that were in the queue when it started (sent before its
   * start), once each. Messages sent to the queue later, such as replayed messages that failed
   * again and were dead-lettered anew, stay for the next run ({@link ReplayResult#arrivedLater()}),
   * and the pass ends as soon as it has seen as many earlier messages as the queue held at the
   * start.
   *
   * <p>On a FIFO dead-letter queue, a message left in the queue holds back the later messages of
   * its group until the next pass: SQS delivers a group in order.
   *
   * @throws DlqException if the queue is missing or not a dead-letter queue, the destination is
   *     missing, or SQS fails; messages not yet moved stay in the dead-letter queue
   */
  public ReplayResult replay(ReplayRequest request) {
    String url = deadLetterQueueUrl(request.deadLetterQueue());
    return replayer.replay(url, request);
  }

  /**
   * Writes the selected messages of a queue to a JSON Lines file, losslessly (body, all attributes
   * with binary ones in base64, group and deduplication ids, the failure reason). With {@link
   * ExportRequest#delete()}, messages are deleted only after their lines are forced to disk.
   */
  public ExportResult export(ExportRequest request) {
    String url = deadLetterQueueUrl(request.queue());
    return new Exporter(sqs, settings, clock).export(url, request);
  }

  /**
   * Sends every message of an export file to a queue with its body, attributes and group id, and a
   * new deduplication id ({@code import-<exported message id>}).
   */
  public ImportResult importFile(Path file, String queue) {
    return importFile(file, queue, false);
  }

  /**
   * Like {@link #importFile(Path, String)}; with {@code keepDeduplicationIds} the exported
   * deduplication ids are reused, so SQS drops messages it has seen in the last five minutes.
   */
  public ImportResult importFile(Path file, String queue, boolean keepDeduplicationIds) {
    return new Importer(sqs).importFile(file, queues.url(queue), keepDeduplicationIds);
  }

  /**
   * Starts SQS's native move of every message of a dead-letter queue to {@code destination} (or,
   * for {@code null}, to each message's original source queue), for the unfiltered bulk case.
   *
   * @param maxMessagesPerSecond the rate limit (1 to 500), or {@code null} for SQS's default
   */
  public RedriveTask startRedrive(
      String deadLetterQueue, String destination, Integer maxMessagesPerSecond) {
    if (maxMessagesPerSecond != null && (maxMessagesPerSecond < 1 || maxMessagesPerSecond > 500)) {
      throw new IllegalArgumentException(
          "maxMessagesPerSecond must be between 1 and 500, was " + maxMessagesPerSecond);
    }
    String url = deadLetterQueueUrl(deadLetterQueue);
    String sourceArn = arn(url);
    String destinationArn = destination == null ? null : arn(queues.url(destination));
    StartMessageMoveTaskRequest request =
        StartMessageMoveTaskRequest.builder()
            .sourceArn(sourceArn)
            .destinationArn(destinationArn)
            .maxNumberOfMessagesPerSecond(maxMessagesPerSecond)
            .build();
    String handle =
        SqsErrors.call(
                "start a message move task from " + url, () -> sqs.startMessageMoveTask(request))
            .taskHandle();
    return redriveTasks(deadLetterQueue).stream()
        .filter(task -> handle.equals(task.taskHandle()))
        .findFirst()
        .orElse(
            new RedriveTask(
                handle,
                "RUNNING",
                sourceArn,
                destinationArn,
                maxMessagesPerSecond,
                0,
                null,
                null,
                clock.instant()));
  }

  /** The most recent native move tasks of a dead-letter queue (at most ten), newest first. */
  public List<RedriveTask> redriveTasks(String deadLetterQueue) {
    String sourceArn = arn(queues.url(deadLetterQueue));
    return SqsErrors.call(
            "list the message move tasks of " + deadLetterQueue,
            () -> sqs.listMessageMoveTasks(b -> b.sourceArn(sourceArn).maxResults(10)))
        .results()
        .stream()
        .map(DeadLetterQueues::task)
        .toList();
  }

  /**
   * Cancels a running native move task.
   *
   * @return the approximate number of messages already moved
   */
  public long cancelRedrive(String taskHandle) {
    Objects.requireNonNull(taskHandle, "taskHandle");
    Long moved =
        SqsErrors.call(
                "cancel message move task " + taskHandle,
                () -> sqs.cancelMessageMoveTask(b -> b.taskHandle(taskHandle)))
            .approximateNumberOfMessagesMoved();
    return moved == null ? 0 : moved;
  }

  /**
   * Deletes the messages with these ids from a dead-letter queue; see {@link #delete(String,
   * Collection, Predicate)}.
   */
  public DeleteResult delete(String deadLetterQueue, Collection<String> messageIds) {
    return delete(deadLetterQueue, messageIds, found -> true);
  }

  /**
   * Deletes the messages with these ids from a dead-letter queue, after {@code confirm} agreed. The
   * queue is read until every id is found or the pass ends; the messages found stay held
   * (invisible) while {@code confirm} is asked, so the ones deleted are exactly the ones it was
   * shown. Every other message is visible again when this returns, and so are the found ones if
   * {@code confirm} declines.
   *
   * @param confirm shown the messages found (possibly none); true to delete them
   * @return what was deleted and which ids were not found; {@link DeleteResult#confirmed()} false
   *     when declined
   */
  public DeleteResult delete(
      String deadLetterQueue, Collection<String> messageIds, Predicate<List<DeadLetter>> confirm) {
    Objects.requireNonNull(confirm, "confirm");
    Set<String> wanted = new LinkedHashSet<>(messageIds);
    if (wanted.isEmpty()) {
      throw new IllegalArgumentException("messageIds must name at least one message");
    }
    String url = deadLetterQueueUrl(deadLetterQueue);
    try (HeldScan scan = new HeldScan(sqs, url, settings)) {
      List<Received> found = new ArrayList<>();
      Set<String> missing = new LinkedHashSet<>(wanted);
      while (!missing.isEmpty()) {
        List<Received> batch = scan.next(10);
        if (batch.isEmpty()) {
          break;
        }
        for (Received received : batch) {
          if (missing.remove(received.letter().messageId())) {
            found.add(received);
          }
        }
      }
      List<DeadLetter> letters = found.stream().map(Received::letter).toList();
      if (!confirm.test(letters)) {
        return new DeleteResult(url, List.of(), List.copyOf(missing), false);
      }
      List<String> failed = scan.delete(found);
      List<String> deleted =
          letters.stream().map(DeadLetter::messageId).filter(id -> !failed.contains(id)).toList();
      List<String> notDeleted = new ArrayList<>(missing);
      notDeleted.addAll(failed);
      return new DeleteResult(url, deleted, notDeleted, true);
    }
  }

  /**
   * Deletes every message of a dead-letter queue (SQS's {@code PurgeQueue}). The CLI asks for
   * confirmation first; a library caller has to mean it.
   *
   * @return the approximate number of messages there were
   */
  public long purge(String deadLetterQueue) {
    String url = deadLetterQueueUrl(deadLetterQueue);
    long count = queues.describe(List.of(url)).get(0).total();
    try {
      sqs.purgeQueue(b -> b.queueUrl(url));
    } catch (PurgeQueueInProgressException e) {
      throw new DlqException(
          Problem.SERVICE,
          "A purge of " + url + " is already in progress; SQS allows one purge per 60 seconds",
          e);
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      throw SqsErrors.translate("purge " + url, e);
    }
    return count;
  }

  private String deadLetterQueueUrl(String queue) {
    String url = queues.url(queue);
    if (requireDeadLetterQueue) {
      queues.requireDeadLetterQueue(url);
    }
    return url;
  }

  private String arn(String url) {
    return queues.attributes(url, QueueAttributeName.QUEUE_ARN).get(QueueAttributeName.QUEUE_ARN);
  }

  private static RedriveTask task(ListMessageMoveTasksResultEntry entry) {
    return new RedriveTask(
        entry.taskHandle(),
        entry.status(),
        entry.sourceArn(),
        entry.destinationArn(),
        entry.maxNumberOfMessagesPerSecond(),
        entry.approximateNumberOfMessagesMoved() == null
            ? 0
            : entry.approximateNumberOfMessagesMoved(),
        entry.approximateNumberOfMessagesToMove(),
        entry.failureReason(),
        entry.startedTimestamp() == null ? null : Instant.ofEpochMilli(entry.startedTimestamp()));
  }

  /** Builds a {@link DeadLetterQueues}; each setter rejects bad values at once. */
  public static final class Builder {
    private final SqsClient sqs;
    private Clock clock = Clock.systemUTC();
    private Duration receiveWaitTime = DEFAULT_RECEIVE_WAIT_TIME;
    private Duration holdTimeout = DEFAULT_HOLD_TIMEOUT;
    private boolean requireDeadLetterQueue = true;

    private Builder(SqsClient sqs) {
      this.sqs = Objects.requireNonNull(sqs, "sqs");
    }

    /** The clock for message ages (default: the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The long-poll wait of each receive, 0 to 20 s (default {@link #DEFAULT_RECEIVE_WAIT_TIME}). A
     * pass over a queue ends at the first empty receive, and on SQS only a long poll (at least 1 s)
     * asks every server, so 0 suits only local servers.
     */
    public Builder receiveWaitTime(Duration receiveWaitTime) {
      Objects.requireNonNull(receiveWaitTime, "receiveWaitTime");
      if (receiveWaitTime.isNegative() || receiveWaitTime.compareTo(Duration.ofSeconds(20)) > 0) {
        throw new IllegalArgumentException(
            "receiveWaitTime must be between 0 and 20 seconds, was " + receiveWaitTime);
      }
      this.receiveWaitTime = receiveWaitTime;
      return this;
    }

    /**
     * How long received messages stay invisible while an operation works on them, 1 s to 12 h
     * (default {@link #DEFAULT_HOLD_TIMEOUT}). They are released at once when it finishes; the
     * timeout only matters if the process dies, when they come back after it.
     */
    public Builder holdTimeout(Duration holdTimeout) {
      Objects.requireNonNull(holdTimeout, "holdTimeout");
      if (holdTimeout.compareTo(Duration.ofSeconds(1)) < 0
          || holdTimeout.compareTo(Duration.ofHours(12)) > 0) {
        throw new IllegalArgumentException(
            "holdTimeout must be between 1 second and 12 hours, was " + holdTimeout);
      }
      this.holdTimeout = holdTimeout;
      return this;
    }

    /**
     * Whether peek, stats, replay, export, redrive and purge refuse a queue that is no queue's
     * dead-letter queue (default: true).
     */
    public Builder requireDeadLetterQueue(boolean requireDeadLetterQueue) {
      this.requireDeadLetterQueue = requireDeadLetterQueue;
      return this;
    }

    /** The instance. */
    public DeadLetterQueues build() {
      return new DeadLetterQueues(this);
    }
  }

  @Override
  public String toString() {
    return "DeadLetterQueues" + Map.of("holdTimeout", settings.holdTimeout());
  }
}
