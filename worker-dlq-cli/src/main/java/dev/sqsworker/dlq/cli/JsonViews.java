package dev.sqsworker.dlq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sqsworker.dlq.DeadLetter;
import dev.sqsworker.dlq.DeadLetterJson;
import dev.sqsworker.dlq.DlqStats;
import dev.sqsworker.dlq.ExportResult;
import dev.sqsworker.dlq.FailureGroup;
import dev.sqsworker.dlq.ImportResult;
import dev.sqsworker.dlq.MessageFailure;
import dev.sqsworker.dlq.QueueInfo;
import dev.sqsworker.dlq.RedriveTask;
import dev.sqsworker.dlq.ReplayResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The JSON every command prints, in one place: the schema of docs/dlq.md. A message is always
 * {@link DeadLetterJson}'s form (the export file's line); times are ISO-8601 strings; queues are
 * URLs.
 */
final class JsonViews {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonViews() {}

  static ArrayNode messages(List<DeadLetter> letters) {
    return array(letters, DeadLetterJson::toJson);
  }

  static ObjectNode queue(QueueInfo queue) {
    ObjectNode node = NODES.objectNode();
    node.put("name", queue.name());
    node.put("url", queue.url());
    node.put("arn", queue.arn());
    node.put("visible", queue.visible());
    node.put("inFlight", queue.inFlight());
    node.put("delayed", queue.delayed());
    node.put("deadLetterQueueUrl", queue.deadLetterQueueUrl());
    node.put("maxReceiveCount", queue.maxReceiveCount());
    node.set("sourceQueueUrls", strings(queue.sourceQueueUrls()));
    return node;
  }

  static ArrayNode queues(List<QueueInfo> queues) {
    return array(queues, JsonViews::queue);
  }

  static ObjectNode stats(DlqStats stats) {
    ObjectNode node = NODES.objectNode();
    node.put("queueUrl", stats.queueUrl());
    node.put("total", stats.total());
    node.put("withoutReason", stats.withoutReason());
    node.put("notReached", stats.notReached());
    node.set("groups", array(stats.groups(), JsonViews::group));
    return node;
  }

  private static ObjectNode group(FailureGroup group) {
    ObjectNode node = NODES.objectNode();
    node.put("fingerprint", group.fingerprint());
    node.put("errorClass", group.errorClass());
    node.put("kind", group.kind());
    node.put("sourceQueue", group.sourceQueue());
    node.put("count", group.count());
    node.put("firstSeen", time(group.firstSeen()));
    node.put("lastSeen", time(group.lastSeen()));
    node.put("sampleErrorMessage", group.sampleErrorMessage());
    return node;
  }

  static ObjectNode replay(ReplayResult result) {
    ObjectNode node = NODES.objectNode();
    node.put("deadLetterQueueUrl", result.deadLetterQueueUrl());
    node.put("replayed", result.replayed());
    node.put("skipped", result.skipped());
    node.put("failed", result.failed());
    ObjectNode byDestination = node.putObject("byDestination");
    result.byDestination().forEach(byDestination::put);
    node.set("failures", failures(result.failures()));
    node.put("notReached", result.notReached());
    node.put("arrivedLater", result.arrivedLater());
    node.put("dryRun", result.dryRun());
    node.put("interrupted", result.interrupted());
    return node;
  }

  static ObjectNode export(ExportResult result) {
    ObjectNode node = NODES.objectNode();
    node.put("queueUrl", result.queueUrl());
    node.put("file", file(result.file()));
    node.put("exported", result.exported());
    node.put("skipped", result.skipped());
    node.put("deleted", result.deleted());
    node.put("notReached", result.notReached());
    return node;
  }

  static ObjectNode importResult(ImportResult result) {
    ObjectNode node = NODES.objectNode();
    node.put("file", file(result.file()));
    node.put("queueUrl", result.queueUrl());
    node.put("sent", result.sent());
    node.put("failed", result.failed());
    node.set("failures", failures(result.failures()));
    return node;
  }

  static ObjectNode task(RedriveTask task) {
    ObjectNode node = NODES.objectNode();
    node.put("taskHandle", task.taskHandle());
    node.put("status", task.status());
    node.put("sourceArn", task.sourceArn());
    node.put("destinationArn", task.destinationArn());
    node.put("maxMessagesPerSecond", task.maxMessagesPerSecond());
    node.put("moved", task.moved());
    node.put("toMove", task.toMove());
    node.put("failureReason", task.failureReason());
    node.put("startedAt", time(task.startedAt()));
    return node;
  }

  static ArrayNode tasks(List<RedriveTask> tasks) {
    return array(tasks, JsonViews::task);
  }

  static ObjectNode cancelled(String handle, long moved) {
    ObjectNode node = NODES.objectNode();
    node.put("taskHandle", handle);
    node.put("moved", moved);
    return node;
  }

  static ObjectNode purged(String queueUrl, long purged) {
    ObjectNode node = NODES.objectNode();
    node.put("queueUrl", queueUrl);
    node.put("purged", purged);
    return node;
  }

  static ObjectNode deleted(
      String queueUrl, Collection<String> deleted, Collection<String> notFound) {
    ObjectNode node = NODES.objectNode();
    node.put("queueUrl", queueUrl);
    node.set("deleted", strings(deleted));
    node.set("notFound", strings(notFound));
    return node;
  }

  private static ArrayNode failures(List<MessageFailure> failures) {
    return array(
        failures,
        failure -> {
          ObjectNode node = NODES.objectNode();
          node.put("messageId", failure.messageId());
          node.put("destination", failure.destination());
          node.put("reason", failure.reason());
          return node;
        });
  }

  private static ArrayNode strings(Collection<String> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  private static <T> ArrayNode array(Collection<T> values, Function<T, ? extends JsonNode> view) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(value -> array.add(view.apply(value)));
    return array;
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String file(Path file) {
    return file == null ? "-" : file.toString();
  }
}
