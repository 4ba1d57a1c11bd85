package dev.sqsworker.app.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UnknownVariablesTest {

  @Test
  void namesTheClosestKnownVariableForATypo() {
    assertThat(UnknownVariables.warnings(Map.of("SQSWORKER_BATCHSIZE", "5")))
        .containsExactly(
            "SQSWORKER_BATCHSIZE is not a known variable and is ignored; did you mean"
                + " SQSWORKER_BATCH_SIZE?");
    assertThat(UnknownVariables.warnings(Map.of("SQSWORKER_JDBC_PASWORD", "x")))
        .singleElement()
        .asString()
        .endsWith("did you mean SQSWORKER_JDBC_PASSWORD?");
  }

  @Test
  void suggestsNothingWhenNoKnownVariableIsClose() {
    assertThat(UnknownVariables.warnings(Map.of("SQSWORKER_COMPLETELY_DIFFERENT_THING", "1")))
        .containsExactly(
            "SQSWORKER_COMPLETELY_DIFFERENT_THING is not a known variable and is ignored");
  }

  @Test
  void knownWorkerDownstreamAndOtherVariablesPass() {
    assertThat(
            UnknownVariables.warnings(
                Map.of(
                    "SQSWORKER_BATCH_SIZE", "5",
                    "SQSWORKER_HANDLER_CLASS", "x",
                    "SQSWORKER_LOG_LEVEL", "DEBUG",
                    "SQSWORKER_ARTIFACT_BUCKET", "receipts",
                    "SQSWORKER_DOWNSTREAM_TAX_TIMEOUT", "2s",
                    "AWS_REGION", "eu-west-1",
                    "PATH", "/usr/bin")))
        .isEmpty();
    assertThat(UnknownVariables.known())
        .contains("SQSWORKER_QUEUE_URL", "SQSWORKER_JDBC_URL", "SQSWORKER_IDEMPOTENCY_TTL")
        .allMatch(v -> v.startsWith("SQSWORKER_"));
  }
}
