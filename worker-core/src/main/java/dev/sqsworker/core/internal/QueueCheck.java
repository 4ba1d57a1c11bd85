package dev.sqsworker.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.internal.settle.SqsDeadLetterPublisher;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Checks at start that the queue exists and finds its dead-letter queue (the configured one, or the
 * target of the queue's {@code RedrivePolicy}), so a wrong URL fails at {@code start()} with a
 * message naming it, not at the first message.
 */
final class QueueCheck {

  private static final Logger LOG = LoggerFactory.getLogger(QueueCheck.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 30;

  /** The largest {@code maxReceiveCount} SQS accepts. */
  static final int SQS_MAX_RECEIVE_COUNT = 1000;

  /**
   * What the check found.
   *
   * @param dlqUrl the dead-letter queue's URL, or null when a custom publisher needs none
   * @param dlqMaxMessageSize the DLQ's {@code MaximumMessageSize} in bytes
   */
  record Result(String dlqUrl, int dlqMaxMessageSize) {}

  private QueueCheck() {}

  /**
   * The smallest redrive {@code maxReceiveCount} that leaves room for every handler run and for the
   * receives that run nothing: a message put back unrun (parked by an open breaker, its key busy,
   * the worker shutting down) still raises SQS's receive count, so SQS would otherwise move it to
   * the DLQ without a reason before the worker has run it {@code maxAttempts} times. Room is left
   * for one release per run, on a FIFO queue for the releases behind failing messages ahead in its
   * group (up to a batch less one, each released on each of their runs), and for one failed
   * dead-letter send.
   */
  static int recommendedMaxReceiveCount(WorkerConfig config) {
    long runs = config.maxAttempts();
    long releases = config.fifo() ? (config.batchSize() - 1L) * runs : runs;
    if (config.fifo() && releases < runs) {
      releases = runs;
    }
    return (int) Math.min(SQS_MAX_RECEIVE_COUNT, runs + releases + 1);
  }

  static Result check(SqsAsyncClient client, WorkerConfig config, boolean customPublisher) {
    Map<QueueAttributeName, String> attributes =
        attributes(client, config.queueUrl(), "queueUrl (SQSWORKER_QUEUE_URL)");
    String redrive = attributes.get(QueueAttributeName.REDRIVE_POLICY);
    String dlqUrl = config.dlqUrl().orElse(null);
    int recommended = recommendedMaxReceiveCount(config);
    if (redrive == null) {
      LOG.warn(
          "Queue {} has no RedrivePolicy: a message the worker cannot dead-letter (DLQ unreachable,"
              + " copy refused) has no backstop and is received again and again. Give it a"
              + " RedrivePolicy with maxReceiveCount of at least {} (maxAttempts {}, and room for"
              + " the receives that put a message back unrun).",
          config.queueUrl(),
          recommended,
          config.maxAttempts());
    } else {
      JsonNode policy = parse(redrive, config.queueUrl());
      int maxReceiveCount = policy.path("maxReceiveCount").asInt(0);
      if (maxReceiveCount > 0 && maxReceiveCount <= config.maxAttempts()) {
        LOG.warn(
            "Queue {} moves messages to its DLQ after {} receives, not more than maxAttempts {}:"
                + " SQS may dead-letter messages without a failure reason. Set the redrive"
                + " maxReceiveCount to at least {}.",
            config.queueUrl(),
            maxReceiveCount,
            config.maxAttempts(),
            recommended);
      } else if (maxReceiveCount > 0 && maxReceiveCount < recommended) {
        LOG.warn(
            "Queue {} moves messages to its DLQ after {} receives: with maxAttempts {}, messages"
                + " put back unrun (parked, busy key, behind a failing FIFO message, shutdown)"
                + " may reach it before their last run and be dead-lettered without a reason."
                + " Set the redrive maxReceiveCount to at least {}.",
            config.queueUrl(),
            maxReceiveCount,
            config.maxAttempts(),
            recommended);
      }
      if (dlqUrl == null) {
        dlqUrl = urlOfArn(client, policy.path("deadLetterTargetArn").asText(""), config.queueUrl());
      }
    }
    if (dlqUrl == null) {
      if (customPublisher) {
        return new Result(null, SqsDeadLetterPublisher.DEFAULT_MAX_MESSAGE_SIZE);
      }
      throw new ConfigurationException(
          java.util.List.of(
              "Queue "
                  + config.queueUrl()
                  + " has no dead-letter queue: set dlqUrl (SQSWORKER_DLQ_URL) or give the queue a"
                  + " RedrivePolicy"));
    }
    Map<QueueAttributeName, String> dlq = attributes(client, dlqUrl, "dlqUrl (SQSWORKER_DLQ_URL)");
    if (dlqUrl.endsWith(".fifo") != config.fifo()) {
      throw new ConfigurationException(
          java.util.List.of(
              "Dead-letter queue "
                  + dlqUrl
                  + " must be a FIFO queue exactly when "
                  + config.queueUrl()
                  + " is one"));
    }
    String max = dlq.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
    return new Result(
        dlqUrl,
        max == null ? SqsDeadLetterPublisher.DEFAULT_MAX_MESSAGE_SIZE : Integer.parseInt(max));
  }

  private static Map<QueueAttributeName, String> attributes(
      SqsAsyncClient client, String queueUrl, String option) {
    try {
      return await(
              client.getQueueAttributes(
                  b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL)))
          .attributes();
    } catch (QueueDoesNotExistException e) {
      throw new ConfigurationException(option + ": queue " + queueUrl + " does not exist", e);
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          option + ": cannot read queue " + queueUrl + ": " + e.getMessage(), e);
    }
  }

  private static String urlOfArn(SqsAsyncClient client, String arn, String queueUrl) {
    // arn:aws:sqs:REGION:ACCOUNT:NAME
    String[] parts = arn.split(":");
    if (parts.length != 6) {
      throw new ConfigurationException(
          java.util.List.of(
              "Queue "
                  + queueUrl
                  + " has a RedrivePolicy with an invalid target ARN '"
                  + arn
                  + "'"));
    }
    try {
      return await(client.getQueueUrl(b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])))
          .queueUrl();
    } catch (QueueDoesNotExistException e) {
      throw new ConfigurationException(
          "The dead-letter queue " + arn + " of " + queueUrl + " does not exist", e);
    }
  }

  private static JsonNode parse(String redrive, String queueUrl) {
    try {
      return JSON.readTree(redrive);
    } catch (java.io.IOException e) {
      throw new ConfigurationException(
          "Queue " + queueUrl + " has a RedrivePolicy that is not JSON: " + redrive, e);
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking the queues", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("SQS did not answer within " + TIMEOUT_SECONDS + " s", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
