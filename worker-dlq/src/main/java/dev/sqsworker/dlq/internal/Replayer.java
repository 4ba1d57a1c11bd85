package dev.sqsworker.dlq.internal;

import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DeadLetter;
import dev.sqsworker.dlq.DeadLetterQueues;
import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.MessageFailure;
import dev.sqsworker.dlq.ReplayRequest;
import dev.sqsworker.dlq.ReplayResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Replays dead letters: receive a batch (held invisible), send the matching ones to their
 * destination, and delete from the dead-letter queue only the ones whose send succeeded. Everything
 * else is released when the pass ends. A crash anywhere leaves each message in the dead-letter
 * queue, in the destination, or (sent but not yet deleted) in both.
 *
 * <p>A replay takes the messages that were in the dead-letter queue when it started: those whose
 * {@code SentTimestamp} is not after its start. A message sent to the queue later (a replayed
 * message that failed again and was dead-lettered anew, or a new failure) is held like the others,
 * so the pass sees it once, but left in the queue for the next run. The pass ends at the first
 * empty receive, or as soon as it has seen as many earlier messages as the queue held at the start
 * (so a steady stream of new failures does not keep it going).
 */
public final class Replayer {

  private final SqsClient sqs;
  private final QueueDirectory queues;
  private final ScanSettings settings;
  private final Clock clock;
  private final DoubleFunction<Throttle> throttles;
  private final BatchSender sender;

  /**
   * A replayer.
   *
   * @param throttles makes the pacing for a rate in messages per second (0 for none)
   */
  public Replayer(
      SqsClient sqs,
      QueueDirectory queues,
      ScanSettings settings,
      Clock clock,
      DoubleFunction<Throttle> throttles) {
    this.sqs = sqs;
    this.queues = queues;
    this.settings = settings;
    this.clock = clock;
    this.throttles = throttles;
    this.sender = new BatchSender(sqs);
  }

  /** Runs one replay; see {@link DeadLetterQueues#replay(ReplayRequest)}. */
  public ReplayResult replay(String dlqUrl, ReplayRequest request) {
    Run run = new Run(dlqUrl, request);
    try (HeldScan scan = new HeldScan(sqs, dlqUrl, settings)) {
      run.execute(scan, scan.totalMessages());
      run.notReached = scan.notReached();
    }
    return run.result();
  }

  /** The state of one replay. */
  private final class Run {
    private final String dlqUrl;
    private final ReplayRequest request;
    private final Throttle throttle;
    private final String fixedDestination;
    private final Map<String, String> resolved = new HashMap<>();
    private final Map<String, Long> byDestination = new LinkedHashMap<>();
    private final List<MessageFailure> failures = new ArrayList<>();
    private List<String> redriveSources;
    private long replayed;
    private long skipped;
    private long failed;
    private boolean interrupted;
    private long notReached;
    private long arrivedLater;
    private long earlierSeen;
    private final Instant startedAt;

    Run(String dlqUrl, ReplayRequest request) {
      this.dlqUrl = dlqUrl;
      this.request = request;
      this.throttle = request.dryRun() ? Throttle.none() : throttles.apply(request.ratePerSecond());
      this.fixedDestination = request.destination().map(queues::url).orElse(null);
      this.startedAt = clock.instant();
    }

    /**
     * Runs the pass.
     *
     * @param atStart how many messages the queue held when the replay started (approximate)
     */
    void execute(HeldScan scan, long atStart) {
      while (replayed + failed < request.limit() && earlierSeen < atStart) {
        if (Thread.currentThread().isInterrupted() || request.stopWhen().getAsBoolean()) {
          interrupted = true;
          return;
        }
        List<Received> batch = scan.next(10);
        if (batch.isEmpty()) {
          return;
        }
        Instant now = clock.instant();
        Map<String, List<Received>> toSend = new LinkedHashMap<>();
        for (Received received : batch) {
          if (replayed + failed + count(toSend) >= request.limit()) {
            break; // left held, released when the pass ends
          }
          if (received.letter().sentAt().isAfter(startedAt)) {
            arrivedLater++; // held, so seen once, and released for the next run when the pass ends
            continue;
          }
          earlierSeen++;
          if (!request.filter().matches(received.letter(), now)) {
            skipped++;
            continue;
          }
          String destination = destinationOf(received.letter());
          if (destination != null) {
            toSend.computeIfAbsent(destination, d -> new ArrayList<>()).add(received);
          }
        }
        for (Map.Entry<String, List<Received>> entry : toSend.entrySet()) {
          if (!send(scan, entry.getKey(), entry.getValue())) {
            interrupted = true;
            return;
          }
        }
        request.listener().onProgress(replayed, skipped, failed);
      }
    }

    private boolean send(HeldScan scan, String destination, List<Received> messages) {
      if (request.dryRun()) {
        replayed += messages.size();
        byDestination.merge(destination, (long) messages.size(), Long::sum);
        return true;
      }
      boolean fifo = destination.endsWith(".fifo");
      List<Outgoing> outgoing = new ArrayList<>();
      Map<String, Received> byKey = new HashMap<>();
      for (Received received : messages) {
        DeadLetter letter = received.letter();
        if (fifo && letter.messageGroupId() == null) {
          fail(
              letter,
              destination,
              "the destination is a FIFO queue but the message has no group id");
          continue;
        }
        if (request.stopWhen().getAsBoolean()) {
          sendAndDelete(scan, destination, outgoing, byKey);
          return false;
        }
        try {
          throttle.acquire();
        } catch (InterruptedException e) {
          // Finish what was already let through (an SDK call fails while the flag is set), then
          // stop and restore the flag for the caller.
          sendAndDelete(scan, destination, outgoing, byKey);
          Thread.currentThread().interrupt();
          return false;
        }
        outgoing.add(replayOf(letter, received.traceHeader(), fifo));
        byKey.put(letter.messageId(), received);
      }
      sendAndDelete(scan, destination, outgoing, byKey);
      return true;
    }

    private void sendAndDelete(
        HeldScan scan, String destination, List<Outgoing> outgoing, Map<String, Received> byKey) {
      if (outgoing.isEmpty()) {
        return;
      }
      List<Received> sent = new ArrayList<>();
      for (SendOutcome outcome : sender.send(destination, outgoing)) {
        Received received = byKey.get(outcome.key());
        if (outcome.sent()) {
          sent.add(received);
        } else {
          fail(received.letter(), destination, outcome.error());
        }
      }
      // Only now, with the copies safely in the destination, do the originals go.
      scan.delete(sent);
      replayed += sent.size();
      if (!sent.isEmpty()) {
        byDestination.merge(destination, (long) sent.size(), Long::sum);
      }
    }

    private String destinationOf(DeadLetter letter) {
      if (fixedDestination != null) {
        return fixedDestination;
      }
      String source = letter.failureReason().map(FailureReason::sourceQueue).orElse(null);
      if (source == null) {
        List<String> sources = redriveSources();
        if (sources.size() == 1) {
          return sources.get(0);
        }
        fail(
            letter,
            null,
            "the message has no "
                + FailureReason.ATTRIBUTE
                + " attribute and the queue is the dead-letter queue of "
                + sources.size()
                + " queues; give a destination");
        return null;
      }
      String known = resolved.get(source);
      if (known != null) {
        return known;
      }
      try {
        String url = queues.url(source);
        resolved.put(source, url);
        return url;
      } catch (DlqException e) {
        if (e.problem() != DlqException.Problem.QUEUE_NOT_FOUND) {
          throw e;
        }
        fail(letter, source, "its source queue does not exist");
        return null;
      }
    }

    private List<String> redriveSources() {
      if (redriveSources == null) {
        redriveSources = queues.deadLetterSources(dlqUrl);
      }
      return redriveSources;
    }

    private void fail(DeadLetter letter, String destination, String reason) {
      failed++;
      if (failures.size() < ReplayResult.MAX_FAILURES_LISTED) {
        failures.add(new MessageFailure(letter.messageId(), destination, reason));
      }
    }

    private int count(Map<String, List<Received>> toSend) {
      return toSend.values().stream().mapToInt(List::size).sum();
    }

    ReplayResult result() {
      return new ReplayResult(
          dlqUrl,
          replayed,
          skipped,
          failed,
          byDestination,
          failures,
          notReached,
          arrivedLater,
          request.dryRun(),
          interrupted);
    }
  }

  /**
   * The message to send for a dead letter: its body and the user's attributes, without the failure
   * reason, with the replay counter increased, and on a FIFO destination the original group and a
   * deduplication id derived from the dead letter's id, so that a replay re-run after a crash is
   * absorbed by SQS's deduplication while a later replay of the same payload is not.
   */
  static Outgoing replayOf(DeadLetter letter, boolean fifo) {
    return replayOf(letter, null, fifo);
  }

  /** The replay of {@code letter}, with the X-Ray trace header it arrived with, if any. */
  static Outgoing replayOf(DeadLetter letter, String traceHeader, boolean fifo) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(letter.userAttributes());
    MessageAttributeValue previous = attributes.remove(DeadLetterQueues.REPLAY_COUNT_ATTRIBUTE);
    long count = 1;
    if (previous != null && previous.stringValue() != null) {
      try {
        count = Long.parseLong(previous.stringValue().trim()) + 1;
      } catch (NumberFormatException e) {
        count = 1;
      }
    }
    attributes.put(
        DeadLetterQueues.REPLAY_COUNT_ATTRIBUTE,
        MessageAttributeValue.builder()
            .dataType("Number")
            .stringValue(Long.toString(count))
            .build());
    return new Outgoing(
        letter.messageId(),
        letter.body(),
        attributes,
        fifo ? letter.messageGroupId() : null,
        fifo ? "replay-" + count + "-" + letter.messageId() : null,
        traceHeader);
  }
}
