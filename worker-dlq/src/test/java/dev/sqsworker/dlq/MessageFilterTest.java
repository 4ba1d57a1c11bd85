package dev.sqsworker.dlq;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.core.FailureKind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageFilterTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private static boolean matches(String expression, Letters letter) {
    return MessageFilter.parse(expression).matches(letter.build(), NOW);
  }

  @Test
  void matchesTheMessageId() {
    Letters letter = aDeadLetter(); // built with the id m-1

    assertThat(matches("messageId=m-1", letter)).isTrue();
    assertThat(matches("messageId=m-2", letter)).isFalse();
    assertThat(matches("messageId!=m-2 and messageId~m-", letter)).isTrue();
    assertThat(
            MessageFilter.messageIds(java.util.List.of("m-2", "m-1")).matches(letter.build(), NOW))
        .isTrue();
    assertThat(
            MessageFilter.messageIds(java.util.List.of("m-1"))
                .and(MessageFilter.parse("kind=DECODE"))
                .matches(letter.build(), NOW))
        .isFalse();
    assertThatThrownBy(() -> MessageFilter.parse("messageId>3"))
        .isInstanceOf(FilterSyntaxException.class)
        .hasMessageContaining("does not apply to messageId");
  }

  @Test
  void matchesErrorClassExactlyAndByContains() {
    Letters letter = aDeadLetter().errorClass("com.example.TimeoutException");
    assertThat(matches("errorClass=com.example.TimeoutException", letter)).isTrue();
    assertThat(matches("errorClass=TimeoutException", letter)).isFalse();
    assertThat(matches("errorClass~Timeout", letter)).isTrue();
    assertThat(matches("errorClass!=com.example.TimeoutException", letter)).isFalse();
  }

  @Test
  void comparesAgeWithDurations() {
    Letters twoHoursOld = aDeadLetter().failedAt(NOW.minus(Duration.ofHours(2)));
    assertThat(matches("age>1h", twoHoursOld)).isTrue();
    assertThat(matches("age>=2h", twoHoursOld)).isTrue();
    assertThat(matches("age<90m", twoHoursOld)).isFalse();
    assertThat(matches("age<PT3H", twoHoursOld)).isTrue();
    assertThat(matches("age>1d", twoHoursOld)).isFalse();
  }

  @Test
  void readsJsonPointersInTheBody() {
    Letters refund = aDeadLetter().body("{\"order\":{\"type\":\"refund\",\"amount\":120.5}}");
    assertThat(matches("body:/order/type=refund", refund)).isTrue();
    assertThat(matches("body:/order/type=sale", refund)).isFalse();
    assertThat(matches("body:/order/amount>100", refund)).isTrue();
    assertThat(matches("body:/order/amount=120.50", refund)).isTrue();
    assertThat(matches("body:/order/missing=x", refund)).isFalse();
    assertThat(matches("body:/order/missing!=x", refund)).isTrue();
    assertThat(matches("body:/order/type=refund", aDeadLetter().body("not json"))).isFalse();
  }

  @Test
  void quotedPointersAndValuesMayHoldOperatorsAndSpaces() {
    Letters letter = aDeadLetter().body("{\"a=b\":\"x y\"}");
    assertThat(matches("body:\"/a=b\"=\"x y\"", letter)).isTrue();
  }

  @Test
  void matchesAttributesFingerprintKindSourceAndCounts() {
    Letters letter =
        aDeadLetter()
            .attribute("tenant", "acme")
            .fingerprint("ab12")
            .kind(FailureKind.EXHAUSTED)
            .from("http://localhost:9324/000000000000/orders")
            .attempts(5)
            .receiveCount(2);
    assertThat(matches("attr:tenant=acme", letter)).isTrue();
    assertThat(matches("attr:region=eu", letter)).isFalse();
    assertThat(matches("fingerprint=ab12 and kind=EXHAUSTED", letter)).isTrue();
    assertThat(matches("source=orders", letter)).isTrue();
    assertThat(matches("source=http://localhost:9324/000000000000/orders", letter)).isTrue();
    assertThat(matches("source=payments", letter)).isFalse();
    assertThat(matches("attempts>=5 and receiveCount<3", letter)).isTrue();
  }

  @Test
  void messagesWithoutAReasonMatchOnlyInequality() {
    Letters bare = aDeadLetter().withoutReason();
    assertThat(matches("errorClass=com.example.BoomException", bare)).isFalse();
    assertThat(matches("errorClass!=com.example.BoomException", bare)).isTrue();
  }

  @Test
  void andBindsTighterThanOrAndParenthesesGroup() {
    Letters letter = aDeadLetter().errorClass("A").fingerprint("f");
    assertThat(matches("errorClass=B and fingerprint=x or fingerprint=f", letter)).isTrue();
    assertThat(matches("errorClass=B and (fingerprint=x or fingerprint=f)", letter)).isFalse();
    assertThat(matches("not errorClass=B AND NOT (fingerprint=x)", letter)).isTrue();
  }

  @Test
  void blankExpressionTakesEverything() {
    assertThat(matches("  ", aDeadLetter())).isTrue();
    assertThat(MessageFilter.parse(null).matches(aDeadLetter().build(), NOW)).isTrue();
  }

  @ParameterizedTest(name = "{0} → position {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "erorClass=Foo                     | 1  | unknown field 'erorClass'",
        "errorClass Foo                    | 12 | expected an operator",
        "errorClass=                       | 12 | expected a value after '='",
        "errorClass=Foo and                | 19 | expected a field",
        "errorClass=Foo and age>1x         | 24 | '1x' is not a duration",
        "errorClass>Foo                    | 11 | operator '>' does not apply to errorClass",
        "age~1h                            | 4  | operator '~' does not apply to age",
        "(errorClass=Foo                   | 16 | expected ')'",
        "errorClass=Foo)                   | 15 | unexpected ')'",
        "errorClass=Foo fingerprint=x      | 16 | expected 'and', 'or'",
        "errorClass=\"Foo                  | 12 | unterminated string",
        "attempts=many                     | 10 | 'many' is not a whole number",
        "body:order/type=x                 | 1  | invalid JSON pointer",
        "errorClass!Foo                    | 11 | '!' must be followed by '='",
      })
  void reportsThePositionOfTheFirstProblem(String expression, int position, String problem) {
    assertThatThrownBy(() -> MessageFilter.parse(expression))
        .isInstanceOfSatisfying(
            FilterSyntaxException.class,
            e -> {
              assertThat(e.position()).isEqualTo(position);
              assertThat(e.getMessage())
                  .contains("position " + position)
                  .contains(problem)
                  .contains("\n  " + " ".repeat(position - 1) + "^");
            });
  }
}
