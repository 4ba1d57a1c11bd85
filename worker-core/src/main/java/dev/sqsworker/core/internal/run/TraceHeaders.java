package dev.sqsworker.core.internal.run;

import io.micrometer.observation.transport.Propagator;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Reads the producer's trace context from a message for a propagator: string message attributes by
 * name ({@code traceparent}, {@code tracestate}, {@code baggage}); without a {@code traceparent}
 * attribute, the {@code AWSTraceHeader} system attribute (X-Ray) converted to one, so a W3C
 * propagator continues an X-Ray trace too.
 */
final class TraceHeaders implements Propagator.Getter<Message> {

  static final TraceHeaders INSTANCE = new TraceHeaders();

  private TraceHeaders() {}

  @Override
  public String get(Message carrier, String key) {
    MessageAttributeValue value = carrier.messageAttributes().get(key);
    if (value != null && value.stringValue() != null) {
      return value.stringValue();
    }
    if (DefaultMessageContext.TRACEPARENT.equals(key)) {
      return traceparentOfXray(
          carrier.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER));
    }
    return null;
  }

  /**
   * The W3C {@code traceparent} of an X-Ray header ({@code
   * Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1}), or null when it
   * has no root or no parent.
   */
  static String traceparentOfXray(String header) {
    if (header == null) {
      return null;
    }
    String root = null;
    String parent = null;
    boolean sampled = false;
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      switch (name) {
        case "Root" -> root = value;
        case "Parent" -> parent = value;
        case "Sampled" -> sampled = "1".equals(value);
        default -> {
          // Other fields (Self, Lineage) say nothing about the parent.
        }
      }
    }
    if (root == null || parent == null) {
      return null;
    }
    // Root=1-<8 hex epoch>-<24 hex>: the 32 hex digits of the trace id without the version.
    String[] pieces = root.split("-");
    if (pieces.length != 3 || !"1".equals(pieces[0])) {
      return null;
    }
    String traceId = (pieces[1] + pieces[2]).toLowerCase(java.util.Locale.ROOT);
    String spanId = parent.toLowerCase(java.util.Locale.ROOT);
    if (!isHex(traceId, 32) || !isHex(spanId, 16)) {
      return null;
    }
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  private static boolean isHex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
