package dev.sqsworker.dlq.cli;

import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DeadLetter;
import java.io.PrintWriter;
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
      "They are visible again at once."
    },
    footer = {
      "%nExamples:",
      "  dlq peek orders-dlq",
      "  dlq peek orders-dlq --filter 'kind=DECODE' --limit 50",
      "  dlq peek orders-dlq --message-id 5fea7756-0ea4-451a-a703-a558b933e274",
      "  dlq peek orders-dlq --query '[].failureReason.errorClass' --output text",
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

  @Mixin Selection selection = new Selection();

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
    Instant now = Clock.systemUTC().instant();
    output.print(JsonViews.messages(letters), out -> report(out, letters, now));
    return ExitCodes.OK;
  }

  private void report(PrintWriter out, List<DeadLetter> letters, Instant now) {
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
    }
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
