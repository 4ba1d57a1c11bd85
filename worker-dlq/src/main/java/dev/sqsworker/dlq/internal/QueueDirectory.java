package dev.sqsworker.dlq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.DlqException.Problem;
import dev.sqsworker.dlq.QueueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Finds queues by name, URL or ARN, and reads their attributes and dead-letter relations. */
public final class QueueDirectory {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SqsClient sqs;

  /** A directory using the given client. */
  public QueueDirectory(SqsClient sqs) {
    this.sqs = sqs;
  }

  /**
   * The URL of a queue given by name, URL or ARN ({@code arn:aws:sqs:REGION:ACCOUNT:NAME}).
   *
   * @throws DlqException with {@link Problem#QUEUE_NOT_FOUND} if there is no such queue
   */
  public String url(String queue) {
    if (queue.startsWith("http://") || queue.startsWith("https://")) {
      attributes(queue, QueueAttributeName.QUEUE_ARN);
      return queue;
    }
    String name = queue;
    String account = null;
    if (queue.startsWith("arn:")) {
      String[] parts = queue.split(":");
      if (parts.length != 6) {
        throw new DlqException(Problem.QUEUE_NOT_FOUND, "'" + queue + "' is not an SQS queue ARN");
      }
      account = parts[4];
      name = parts[5];
    }
    String owner = account;
    String queueName = name;
    try {
      return sqs.getQueueUrl(b -> b.queueName(queueName).queueOwnerAWSAccountId(owner)).queueUrl();
    } catch (SdkException e) {
      DlqException translated = SqsErrors.translate("find queue '" + queue + "'", e);
      if (translated.problem() == Problem.QUEUE_NOT_FOUND) {
        throw new DlqException(
            Problem.QUEUE_NOT_FOUND,
            "Queue '" + queue + "' does not exist (or is not visible in this region and account)",
            e);
      }
      throw translated;
    }
  }

  /** Some attributes of a queue, by name. */
  public Map<QueueAttributeName, String> attributes(String url, QueueAttributeName... names) {
    try {
      return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(names)).attributes();
    } catch (SdkException e) {
      DlqException translated = SqsErrors.translate("read the attributes of " + url, e);
      if (translated.problem() == Problem.QUEUE_NOT_FOUND) {
        throw new DlqException(Problem.QUEUE_NOT_FOUND, "Queue " + url + " does not exist", e);
      }
      throw translated;
    }
  }

  /** The URLs of the queues whose redrive policy names this queue as their dead-letter queue. */
  public List<String> deadLetterSources(String url) {
    return SqsErrors.call(
        "list the source queues of " + url,
        () -> {
          List<String> sources = new ArrayList<>();
          sqs.listDeadLetterSourceQueuesPaginator(b -> b.queueUrl(url))
              .forEach(page -> sources.addAll(page.queueUrls()));
          return sources;
        });
  }

  /**
   * Checks that some queue uses this one as its dead-letter queue.
   *
   * @throws DlqException with {@link Problem#NOT_A_DEAD_LETTER_QUEUE} if none does
   */
  public void requireDeadLetterQueue(String url) {
    if (deadLetterSources(url).isEmpty()) {
      throw new DlqException(
          Problem.NOT_A_DEAD_LETTER_QUEUE,
          "Queue "
              + url
              + " is not a dead-letter queue: no queue names it in its RedrivePolicy"
              + " (skip this check with --force, or requireDeadLetterQueue(false))");
    }
  }

  /** The URLs of all queues whose name starts with the prefix (all queues for an empty one). */
  public List<String> list(String prefix) {
    return SqsErrors.call(
        "list queues",
        () -> {
          List<String> urls = new ArrayList<>();
          sqs.listQueuesPaginator(
                  b -> b.queueNamePrefix(prefix == null || prefix.isEmpty() ? null : prefix))
              .forEach(page -> urls.addAll(page.queueUrls()));
          return urls;
        });
  }

  /** Describes the given queues, relating each dead-letter queue to its sources among them. */
  public List<QueueInfo> describe(List<String> urls) {
    Map<String, Map<QueueAttributeName, String>> attributes = new HashMap<>();
    Map<String, String> urlByArn = new HashMap<>();
    for (String url : urls) {
      Map<QueueAttributeName, String> a = attributes(url, QueueAttributeName.ALL);
      attributes.put(url, a);
      urlByArn.put(a.get(QueueAttributeName.QUEUE_ARN), url);
    }
    Map<String, List<String>> sourcesByDlqUrl = new HashMap<>();
    Map<String, String> dlqByUrl = new HashMap<>();
    Map<String, Integer> maxReceivesByUrl = new HashMap<>();
    for (String url : urls) {
      String policy = attributes.get(url).get(QueueAttributeName.REDRIVE_POLICY);
      if (policy == null || policy.isBlank()) {
        continue;
      }
      JsonNode node = readPolicy(url, policy);
      String targetArn = node.path("deadLetterTargetArn").asText(null);
      if (targetArn == null) {
        continue;
      }
      String dlqUrl = urlByArn.computeIfAbsent(targetArn, this::urlOrArn);
      dlqByUrl.put(url, dlqUrl);
      maxReceivesByUrl.put(url, node.path("maxReceiveCount").asInt(0));
      sourcesByDlqUrl.computeIfAbsent(dlqUrl, u -> new ArrayList<>()).add(url);
    }
    List<QueueInfo> infos = new ArrayList<>();
    for (String url : urls) {
      Map<QueueAttributeName, String> a = attributes.get(url);
      infos.add(
          new QueueInfo(
              url.substring(url.lastIndexOf('/') + 1),
              url,
              a.get(QueueAttributeName.QUEUE_ARN),
              count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
              count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
              count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
              dlqByUrl.get(url),
              maxReceivesByUrl.getOrDefault(url, 0),
              sourcesByDlqUrl.getOrDefault(url, List.of())));
    }
    return infos;
  }

  /** Describes one queue, with its dead-letter sources from {@code ListDeadLetterSourceQueues}. */
  public QueueInfo describe(String url) {
    QueueInfo alone = describe(List.of(url)).get(0);
    return new QueueInfo(
        alone.name(),
        alone.url(),
        alone.arn(),
        alone.visible(),
        alone.inFlight(),
        alone.delayed(),
        alone.deadLetterQueueUrl(),
        alone.maxReceiveCount(),
        deadLetterSources(url));
  }

  /** The URL for an ARN outside the listed queues; the ARN itself if it cannot be found. */
  private String urlOrArn(String arn) {
    try {
      return url(arn);
    } catch (DlqException e) {
      return arn;
    }
  }

  private static JsonNode readPolicy(String url, String policy) {
    try {
      return JSON.readTree(policy);
    } catch (Exception e) {
      throw new DlqException(
          Problem.SERVICE, "Queue " + url + " has a RedrivePolicy that is not JSON: " + policy, e);
    }
  }

  private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
    String value = attributes.get(name);
    return value == null ? 0 : Long.parseLong(value);
  }
}
