package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.app.internal.Tracing;
import dev.sqsworker.core.resilience.Downstream;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;

/**
 * Traces across the queue: the application with an in-memory span exporter, messages sent with a
 * producer's trace context to the embedded SQS, spans and their links read back.
 */
@WithLocalServices
class TracingIT {

  private static final String PRODUCER_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String PRODUCER_SPAN = "b7ad6b7169203331";

  /** Span and trace id the handler saw in the MDC, by body. */
  private final Map<String, String> mdcSeen = new ConcurrentHashMap<>();

  private final List<Downstreams> opened = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeDownstreams() {
    opened.forEach(Downstreams::close);
  }

  @Test
  void messageSpanContinuesTheProducersTrace_andDownstreamCallsAreItsChildren(LocalSqs sqs)
      throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("traced", 5);
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (WorkerApplication app = tracedApp(sqs, queues, spans)) {
      app.start();
      sqs.client()
          .sendMessage(
              b ->
                  b.queueUrl(queues.queueUrl())
                      .messageBody("w3c")
                      .messageAttributes(
                          Map.of(
                              "traceparent",
                              text("00-" + PRODUCER_TRACE + "-" + PRODUCER_SPAN + "-01"))));
      SpanData message = awaitSpan(spans, "traced process");
      assertThat(message.getKind()).isEqualTo(SpanKind.CONSUMER);
      assertThat(message.getTraceId()).isEqualTo(PRODUCER_TRACE);
      assertThat(message.getParentSpanId()).isEqualTo(PRODUCER_SPAN);
      assertThat(message.getAttributes().get(AttributeKey.stringKey("queue"))).isEqualTo("traced");
      assertThat(message.getAttributes().get(AttributeKey.stringKey("outcome")))
          .isEqualTo("success");
      assertThat(message.getAttributes().get(AttributeKey.stringKey("attempt"))).isEqualTo("1");
      assertThat(message.getAttributes().get(AttributeKey.stringKey("message.id"))).isNotBlank();

      SpanData call = awaitChild(spans, message);
      assertThat(call.getName()).isEqualTo("inventory call");
      assertThat(call.getTraceId()).isEqualTo(PRODUCER_TRACE);
      assertThat(call.getAttributes().get(AttributeKey.stringKey("downstream")))
          .isEqualTo("inventory");
      assertThat(mdcSeen.get("w3c")).isEqualTo(message.getTraceId() + "/" + message.getSpanId());
    }
  }

  @Test
  void xrayHeaderParentsTheSpan_andAFailureIsRecordedAsSuch(LocalSqs sqs) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("traced-xray", 5);
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (WorkerApplication app = tracedApp(sqs, queues, spans)) {
      app.start();
      sqs.client()
          .sendMessage(
              b ->
                  b.queueUrl(queues.queueUrl())
                      .messageBody("fail")
                      .messageSystemAttributes(
                          Map.of(
                              MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                              MessageSystemAttributeValue.builder()
                                  .dataType("String")
                                  .stringValue(
                                      "Root=1-5759e988-bd862e3fe1be46a994272793;"
                                          + "Parent=53995c3f42cd8ad8;Sampled=1")
                                  .build())));
      SpanData message = awaitSpan(spans, "traced-xray process");
      assertThat(message.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
      assertThat(message.getParentSpanId()).isEqualTo("53995c3f42cd8ad8");
      assertThat(message.getAttributes().get(AttributeKey.stringKey("outcome")))
          .isEqualTo("failure");
      assertThat(message.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }
  }

  @Test
  void withoutAnEndpointNothingIsTraced() {
    try (Tracing tracing = Tracing.of(Map.of("SQSWORKER_QUEUE_URL", "x"), null)) {
      assertThat(tracing.enabled()).isFalse();
      assertThat(tracing.observationRegistry().isNoop()).isTrue();
    }
  }

  private WorkerApplication tracedApp(LocalSqs sqs, QueuePair queues, InMemorySpanExporter spans) {
    Map<String, String> env = WorkerApplicationIT.environment(sqs, queues);
    env.put("SQSWORKER_HANDLER_CLASS", AnyTextHandler.class.getName());
    env.put("SQSWORKER_MAX_ATTEMPTS", "1");
    return WorkerApplication.builder()
        .environment(env)
        .spanProcessor(SimpleSpanProcessor.create(spans))
        .customizer(
            (worker, context) -> {
              Downstreams downstreams =
                  Downstreams.builder().observationRegistry(context.observationRegistry()).build();
              opened.add(downstreams);
              Downstream inventory = downstreams.get("inventory");
              worker.handler(
                  String.class,
                  (body, message) -> {
                    mdcSeen.put(
                        body, MDC.get(Tracing.MDC_TRACE_ID) + "/" + MDC.get(Tracing.MDC_SPAN_ID));
                    if (body.equals("fail")) {
                      throw new IllegalStateException("refused " + message.messageId());
                    }
                    inventory.call(() -> "reserved");
                  });
            })
        .build();
  }

  private static SpanData awaitSpan(InMemorySpanExporter spans, String name) {
    AtomicReference<SpanData> found = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              List<SpanData> named =
                  spans.getFinishedSpanItems().stream()
                      .filter(s -> s.getName().equals(name))
                      .toList();
              named.stream().findFirst().ifPresent(found::set);
              return found.get() != null;
            });
    return found.get();
  }

  private static SpanData awaitChild(InMemorySpanExporter spans, SpanData parent) {
    AtomicReference<SpanData> found = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              spans.getFinishedSpanItems().stream()
                  .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
                  .findFirst()
                  .ifPresent(found::set);
              return found.get() != null;
            });
    return found.get();
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }
}
