package dev.sqsworker.core.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class TraceHeadersTest {

  private static final String XRAY =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  @Test
  void xrayHeaderBecomesTraceparent() {
    assertThat(TraceHeaders.traceparentOfXray(XRAY))
        .isEqualTo("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01");
    assertThat(
            TraceHeaders.traceparentOfXray(
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0"))
        .endsWith("-00");
  }

  @Test
  void xrayHeaderWithoutParentOrWithBadRootIsNoContext() {
    assertThat(TraceHeaders.traceparentOfXray("Root=1-5759e988-bd862e3fe1be46a994272793")).isNull();
    assertThat(TraceHeaders.traceparentOfXray("Root=2-xyz;Parent=53995c3f42cd8ad8")).isNull();
    assertThat(TraceHeaders.traceparentOfXray(null)).isNull();
  }

  @Test
  void traceparentAttributeWinsOverXray() {
    String w3c = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    Message message =
        Message.builder()
            .messageAttributes(
                Map.of(
                    "traceparent",
                    MessageAttributeValue.builder().dataType("String").stringValue(w3c).build()))
            .attributes(Map.of(MessageSystemAttributeName.AWS_TRACE_HEADER, XRAY))
            .build();
    assertThat(TraceHeaders.INSTANCE.get(message, "traceparent")).isEqualTo(w3c);
    assertThat(TraceHeaders.INSTANCE.get(message, "tracestate")).isNull();
  }

  @Test
  void xrayAloneIsReadAsTraceparent() {
    Message message =
        Message.builder()
            .attributes(Map.of(MessageSystemAttributeName.AWS_TRACE_HEADER, XRAY))
            .build();
    assertThat(TraceHeaders.INSTANCE.get(message, "traceparent"))
        .isEqualTo("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01");
  }
}
