package dev.sqsworker.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.WithLocalServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithLocalServices
class FaultyDataSourceIT {

  private FaultyDataSource db;

  @BeforeEach
  void setUp(LocalPostgres postgres) throws SQLException {
    db = FaultyDataSource.wrap(postgres.dataSource());
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table if not exists faulty(id int primary key)");
      s.execute("truncate faulty");
    }
  }

  private int rows() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from faulty")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void failsConnectionsUntilHealed() throws SQLException {
    db.failConnections();
    assertThatThrownBy(db::getConnection)
        .isInstanceOfSatisfying(
            SQLTransientConnectionException.class,
            e -> assertThat(e.getSQLState()).isEqualTo("08001"));
    db.heal();
    assertThat(rows()).isZero();
  }

  @Test
  void failsOnlyStatementsThatMatchAndOnlyAsOftenAsAsked() throws SQLException {
    var fault = db.failStatements("INSERT INTO faulty", FaultyDataSource::connectionLost).times(1);
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement("insert into faulty values (?)")) {
      s.setInt(1, 1);
      assertThatThrownBy(s::executeUpdate).isInstanceOf(SQLTransientConnectionException.class);
      assertThat(rows()).isZero();
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    assertThat(rows()).isEqualTo(1);
    assertThat(fault.injected()).isEqualTo(1);
  }

  @Test
  void failedCommitRollsTheWorkBack() throws SQLException {
    db.failCommits(FaultyDataSource::uniqueViolation).times(1);
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("insert into faulty values (7)");
      }
      assertThatThrownBy(c::commit)
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
    }
    assertThat(rows()).isZero();
  }

  @Test
  void stalledConnectionWaitsUntilHealed() throws Exception {
    db.stallConnections(Duration.ofMinutes(1));
    CompletableFuture<Integer> stalled =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return rows();
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(stalled).isNotDone();
    assertThat(stalled)
        .failsWithin(Duration.ofMillis(300))
        .withThrowableThat()
        .isInstanceOf(java.util.concurrent.TimeoutException.class);
    db.heal();
    assertThat(stalled.get(10, TimeUnit.SECONDS)).isZero();
  }
}
