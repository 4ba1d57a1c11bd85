package dev.sqsworker.dlq.internal;

import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DeadLetter;
import dev.sqsworker.dlq.DlqStats;
import dev.sqsworker.dlq.FailureGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Groups dead letters by fingerprint, error class and source queue. */
public final class StatsCollector {

  private record Key(String fingerprint, String errorClass, String kind, String source) {}

  private static final class Tally {
    long count;
    Instant first;
    Instant last;
    String sampleMessage;
  }

  private final Map<Key, Tally> tallies = new LinkedHashMap<>();
  private long total;
  private long withoutReason;

  /** Counts one message. */
  public void add(DeadLetter letter) {
    total++;
    Optional<FailureReason> reason = letter.failureReason();
    if (reason.isEmpty()) {
      withoutReason++;
    }
    Key key =
        reason
            .map(r -> new Key(r.fingerprint(), r.errorClass(), r.kind().name(), r.sourceQueue()))
            .orElse(new Key(null, null, null, null));
    Tally tally = tallies.computeIfAbsent(key, k -> new Tally());
    tally.count++;
    Instant first = reason.map(FailureReason::firstFailureAt).orElse(letter.sentAt());
    Instant last = letter.failedAt();
    tally.first = tally.first == null || first.isBefore(tally.first) ? first : tally.first;
    tally.last = tally.last == null || last.isAfter(tally.last) ? last : tally.last;
    if (tally.sampleMessage == null) {
      tally.sampleMessage = reason.map(FailureReason::errorMessage).orElse(null);
    }
  }

  /** The groups, largest first (then most recent first). */
  public DlqStats result(String queueUrl, long notReached) {
    List<FailureGroup> groups = new ArrayList<>();
    tallies.forEach(
        (key, tally) ->
            groups.add(
                new FailureGroup(
                    key.fingerprint(),
                    key.errorClass(),
                    key.kind(),
                    key.source(),
                    tally.count,
                    tally.first,
                    tally.last,
                    tally.sampleMessage)));
    groups.sort(
        Comparator.comparingLong(FailureGroup::count)
            .reversed()
            .thenComparing(FailureGroup::lastSeen, Comparator.reverseOrder()));
    return new DlqStats(queueUrl, total, withoutReason, notReached, groups);
  }
}
