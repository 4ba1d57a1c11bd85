package dev.sqsworker.core.internal.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlFailuresTest {

  @Test
  void aReadOnlyTransaction_isAnOutage_asAFailoverLandsOnAStandbyForAMoment() {
    SQLException readOnly =
        new SQLException("cannot execute INSERT in a read-only transaction", "25006");
    assertThat(SqlFailures.classify(new IllegalStateException("wrapped", readOnly)))
        .isEqualTo(SqlFailures.Meaning.UNAVAILABLE);
    assertThat(SqlFailures.isReadOnly(new IllegalStateException("wrapped", readOnly))).isTrue();
    assertThat(SqlFailures.isReadOnly(new SQLException("refused", "08001"))).isFalse();
  }

  @Test
  void connectionClassAndShutdownStates_areOutages() {
    assertThat(SqlFailures.classify(new SQLException("refused", "08001")))
        .isEqualTo(SqlFailures.Meaning.UNAVAILABLE);
    assertThat(SqlFailures.classify(new SQLException("admin shutdown", "57P01")))
        .isEqualTo(SqlFailures.Meaning.UNAVAILABLE);
  }

  @Test
  void anAbortedTransactionAndConstraints_areTheMessages() {
    assertThat(SqlFailures.classify(new SQLException("aborted", "25P02")))
        .isEqualTo(SqlFailures.Meaning.CONSTRAINT);
    assertThat(SqlFailures.classify(new SQLException("duplicate key", "23505")))
        .isEqualTo(SqlFailures.Meaning.CONSTRAINT);
  }
}
