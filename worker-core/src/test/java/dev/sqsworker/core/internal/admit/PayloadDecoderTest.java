package dev.sqsworker.core.internal.admit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sqsworker.core.PayloadDecodingException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadDecoderTest {

  record Line(String sku, int quantity) {}

  record Order(String id, Instant placedAt, List<Line> lines) {}

  private static Object decode(PayloadDecoder<?> decoder, String body) {
    return decoder.bind(PayloadDecoder.defaultMapper()).decode(body);
  }

  @Test
  void decodesRecordsWithTimesAndIgnoresUnknownFields() {
    Object order =
        decode(
            PayloadDecoder.of(Order.class),
            "{\"id\":\"o-1\",\"placedAt\":\"2026-01-01T00:00:00Z\",\"new\":1,"
                + "\"lines\":[{\"sku\":\"a\",\"quantity\":2}]}");
    assertThat(order)
        .isEqualTo(
            new Order("o-1", Instant.parse("2026-01-01T00:00:00Z"), List.of(new Line("a", 2))));
  }

  @Test
  void wrongShapeNamesTheTypeAndThePath() {
    assertThatThrownBy(
            () ->
                decode(
                    PayloadDecoder.of(Order.class),
                    "{\"id\":\"o-1\",\"lines\":[{\"sku\":\"a\",\"quantity\":\"two\"}]}"))
        .isInstanceOf(PayloadDecodingException.class)
        .hasMessageStartingWith("Cannot decode message body as Order at $.lines[0].quantity");
  }

  @Test
  void missingPrimitiveIsRejected() {
    assertThatThrownBy(() -> decode(PayloadDecoder.of(Line.class), "{\"sku\":\"a\"}"))
        .isInstanceOf(PayloadDecodingException.class)
        .hasMessageContaining("Line");
  }

  @Test
  void malformedJsonSaysWhere() {
    assertThatThrownBy(() -> decode(PayloadDecoder.of(Order.class), "{\"id\": "))
        .isInstanceOf(PayloadDecodingException.class)
        .hasMessageContaining("not valid JSON for Order (line 1");
  }

  @Test
  void emptyAndNullBodiesAreRejected() {
    assertThatThrownBy(() -> decode(PayloadDecoder.of(Order.class), " "))
        .hasMessage("Cannot decode an empty message body as Order");
    assertThatThrownBy(() -> decode(PayloadDecoder.of(Order.class), "null"))
        .hasMessageContaining("the body is JSON null");
  }

  @Test
  void rawAndGenericTypes() {
    assertThat(decode(PayloadDecoder.of(String.class), "not json")).isEqualTo("not json");
    assertThat((byte[]) decode(PayloadDecoder.of(byte[].class), "é")).hasSize(2);
    var types = PayloadDecoder.defaultMapper().getTypeFactory();
    assertThat(decode(PayloadDecoder.of(types.constructType(String.class)), "raw"))
        .isEqualTo("raw");
    assertThat(decode(PayloadDecoder.of(new TypeReference<List<Integer>>() {}), "[1,2]"))
        .isEqualTo(List.of(1, 2));
  }
}
