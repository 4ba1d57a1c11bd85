package dev.sqsworker.dlq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DeadLetter;
import dev.sqsworker.dlq.DeadLetterPayloads;
import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.FetchedPayload;
import dev.sqsworker.dlq.PayloadPointer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** {@code dlq peek}. */
@Command(
    name = "peek",
    mixinStandardHelpOptions = true,
    description = {
      "Show messages of a dead-letter queue without removing them: body (pretty when JSON), attributes, receive count, age and the failure reason.",
      "",
      "They are visible again at once.",
      "",
      "A large-payload pointer (Amazon SQS Extended Client Library format) is shown as it is stored; --fetch-payload also shows the S3 object it names, at most 1 MiB of it."
    },
    footer = {
      "%nExamples:",
      "  dlq peek orders-dlq",
      "  dlq peek orders-dlq --filter 'kind=DECODE' --limit 50",
      "  dlq peek orders-dlq --message-id 5fea7756-0ea4-451a-a703-a558b933e274",
      "  dlq peek orders-dlq --query '[].failureReason.errorClass' --output text",
      "  dlq peek orders-dlq --fetch-payload --limit 1",
      ExitCodes.FOOTER
    })
final class PeekCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue: name, URL or ARN.")
  String queue;

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = DlqCommand.LimitConverter.class,
      description = "Most messages to show (default: 10, or as many as --message-id names).")
  Long limit;

  @Option(
      names = "--fetch-payload",
      description =
          "For large-payload pointers, also read the S3 object (at most 1 MiB of it) with the same"
              + " region and profile (endpoint: --s3-endpoint-url). A gone object is named on"
              + " standard error and exits with 5.")
  boolean fetchPayload;

  @Mixin Selection selection = new Selection();

  /** A fetched payload, or why it could not be fetched. */
  private record Fetched(PayloadPointer pointer, FetchedPayload payload, String error) {}

  @Override
  public Integer call() {
    Output output = new Output(spec);
    List<DeadLetter> letters =
        output
            .dlqs()
            .peek(
                queue,
                selection.filter(),
                (int) Math.min(Integer.MAX_VALUE, selection.limit(limit == null ? 10L : limit)));
    Map<String, Fetched> payloads = fetchPayload ? fetch(output, letters) : Map.of();
    Instant now = Clock.systemUTC().instant();
    ArrayNode json = JsonViews.messages(letters);
    for (int i = 0; i < letters.size(); i++) {
      Fetched fetched = payloads.get(letters.get(i).messageId());
      if (fetched != null) {
        ((ObjectNode) json.get(i)).set("payload", payloadJson(fetched));
      }
    }
    output.print(json, out -> report(out, letters, payloads, now));
    List<Fetched> failed = payloads.values().stream().filter(f -> f.error() != null).toList();
    if (failed.isEmpty()) {
      return ExitCodes.OK;
    }
    failed.forEach(f -> output.err().println("dlq: " + f.error()));
    output.err().flush();
    return ExitCodes.SOME_FAILED;
  }

  private static Map<String, Fetched> fetch(Output output, List<DeadLetter> letters) {
    Map<String, Fetched> fetched = new LinkedHashMap<>();
    DeadLetterPayloads payloads = null;
    for (DeadLetter letter : letters) {
      PayloadPointer pointer = DeadLetterPayloads.pointer(letter).orElse(null);
      if (pointer == null) {
        continue;
      }
      if (payloads == null) {
        payloads = DeadLetterPayloads.create(output.root().s3Client());
      }
      try {
        fetched.put(
            letter.messageId(), new Fetched(pointer, payloads.fetch(letter).orElseThrow(), null));
      } catch (DlqException e) {
        if (e.problem() != DlqException.Problem.PAYLOAD_NOT_FOUND) {
          throw e;
        }
        fetched.put(letter.messageId(), new Fetched(pointer, null, e.getMessage()));
      }
    }
    return fetched;
  }

  private static ObjectNode payloadJson(Fetched fetched) {
    ObjectNode node = CliJson.MAPPER.createObjectNode();
    node.put("bucket", fetched.pointer().bucket());
    node.put("key", fetched.pointer().key());
    if (fetched.payload() != null) {
      node.put("size", fetched.payload().size());
      node.put("truncated", fetched.payload().truncated());
      node.put("body", fetched.payload().body());
    } else {
      node.put("error", fetched.error());
    }
    return node;
  }

  private void report(
      PrintWriter out, List<DeadLetter> letters, Map<String, Fetched> payloads, Instant now) {
    if (letters.isEmpty()) {
      out.println("No visible messages in " + queue + " that match.");
    }
    int n = 0;
    for (DeadLetter letter : letters) {
      n++;
      out.printf(
          "── %d/%d  %s  received %dx  age %s%s%n",
          n,
          letters.size(),
          letter.messageId(),
          letter.receiveCount(),
          Output.shortDuration(letter.age(now)),
          letter.messageGroupId() == null ? "" : "  group " + letter.messageGroupId());
      letter
          .failureReason()
          .ifPresentOrElse(
              r -> printReason(out, r),
              () -> out.println("failure: (no " + FailureReason.ATTRIBUTE + " attribute)"));
      Map<String, Object> attributes = attributes(letter);
      attributes.remove(FailureReason.ATTRIBUTE);
      if (!attributes.isEmpty()) {
        out.println("attributes:");
        attributes.forEach((name, value) -> out.printf("  %s = %s%n", name, value));
      }
      out.println("body:");
      out.println("  " + Output.prettyBody(letter.body()).replace("\n", "\n  "));
      Fetched fetched = payloads.get(letter.messageId());
      if (fetched != null) {
        printPayload(out, fetched);
      } else {
        DeadLetterPayloads.pointer(letter)
            .ifPresent(
                p ->
                    out.println(
                        "  (a large-payload pointer to "
                            + p.uri()
                            + "; --fetch-payload shows the payload)"));
      }
    }
  }

  private static void printPayload(PrintWriter out, Fetched fetched) {
    FetchedPayload payload = fetched.payload();
    if (payload == null) {
      out.println("payload: " + fetched.pointer().uri() + ": " + fetched.error());
      return;
    }
    out.println(
        "payload: "
            + fetched.pointer().uri()
            + ", "
            + payload.size()
            + " bytes"
            + (payload.truncated()
                ? " (the first "
                    + payload.body().getBytes(StandardCharsets.UTF_8).length
                    + " shown)"
                : "")
            + ":");
    out.println("  " + Output.prettyBody(payload.body()).replace("\n", "\n  "));
  }

  private static void printReason(PrintWriter out, FailureReason reason) {
    out.printf(
        "failure: %s %s: %s%n         fingerprint %s, %d attempts, first %s, last %s, from %s%n",
        reason.kind(),
        reason.errorClass() == null ? "-" : reason.errorClass(),
        reason.errorMessage() == null ? "" : reason.errorMessage(),
        reason.fingerprint() == null ? "-" : reason.fingerprint(),
        reason.attempts(),
        Output.time(reason.firstFailureAt()),
        Output.time(reason.lastFailureAt()),
        Output.queueName(reason.sourceQueue()));
    if (reason.stackTrace() != null) {
      reason.stackTrace().forEach(line -> out.println("         " + line));
    }
  }

  private static Map<String, Object> attributes(DeadLetter letter) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, MessageAttributeValue> e : letter.attributes().entrySet()) {
      MessageAttributeValue value = e.getValue();
      attributes.put(
          e.getKey(),
          value.stringValue() != null
              ? value.stringValue()
              : java.util.Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
    }
    return attributes;
  }
}
