package dev.sqsworker.core.internal.message;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Test data: {@code aMessage().withReceiveCount(3).receivedAt(t).build()}. */
public final class MessageBuilder {

  /** The instant test messages are received at unless told otherwise. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final AtomicInteger IDS = new AtomicInteger();

  private String id = "m" + IDS.incrementAndGet();
  private String receipt;
  private String body = "{}";
  private Instant receivedAt = T0;
  private Duration visibility = Duration.ofSeconds(30);
  private Duration maxHandling = Duration.ofMinutes(15);
  private final Map<MessageSystemAttributeName, String> system =
      new EnumMap<>(MessageSystemAttributeName.class);
  private final Map<String, MessageAttributeValue> attributes = new HashMap<>();

  private MessageBuilder() {}

  /** A message received once, at {@link #T0}, with a 30 s visibility timeout. */
  public static MessageBuilder aMessage() {
    return new MessageBuilder();
  }

  public MessageBuilder withId(String id) {
    this.id = id;
    return this;
  }

  public MessageBuilder withReceipt(String receipt) {
    this.receipt = receipt;
    return this;
  }

  public MessageBuilder withBody(String body) {
    this.body = body;
    return this;
  }

  public MessageBuilder withReceiveCount(int count) {
    system.put(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, Integer.toString(count));
    return this;
  }

  public MessageBuilder firstReceivedAt(Instant at) {
    system.put(
        MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP,
        Long.toString(at.toEpochMilli()));
    return this;
  }

  public MessageBuilder inGroup(String group) {
    system.put(MessageSystemAttributeName.MESSAGE_GROUP_ID, group);
    return this;
  }

  public MessageBuilder withAttribute(String name, String value) {
    attributes.put(
        name, MessageAttributeValue.builder().dataType("String").stringValue(value).build());
    return this;
  }

  public MessageBuilder receivedAt(Instant at) {
    this.receivedAt = at;
    return this;
  }

  public MessageBuilder withVisibility(Duration visibility) {
    this.visibility = visibility;
    return this;
  }

  public MessageBuilder withMaxHandlingTime(Duration maxHandling) {
    this.maxHandling = maxHandling;
    return this;
  }

  /** The SQS message alone. */
  public Message sqsMessage() {
    return Message.builder()
        .messageId(id)
        .receiptHandle(receipt != null ? receipt : "receipt-" + id)
        .body(body)
        .attributes(system)
        .messageAttributes(attributes)
        .build();
  }

  public InFlightMessage build() {
    return new InFlightMessage(
        sqsMessage(), receivedAt, receivedAt.plus(visibility), receivedAt.plus(maxHandling));
  }
}
