package dev.sqsworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@WithLocalServices
class LocalPostgresIT {

  @Test
  void answersSelectVersion(LocalPostgres postgres) throws SQLException {
    assertThat(query(postgres, "select version()")).startsWith("PostgreSQL ");
    int major = Integer.parseInt(query(postgres, "show server_version_num")) / 10000;
    assertThat(major).isGreaterThanOrEqualTo(16);
  }

  @Test
  void dataSurvivesARestartOfThePool(LocalPostgres postgres) throws SQLException {
    String db = postgres.createDatabase("pool_restart");
    try (HikariDataSource pool = pool(postgres, db);
        Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table kept(id int primary key)");
      s.execute("insert into kept values (42)");
    }
    try (HikariDataSource pool = pool(postgres, db);
        Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  void databasesAreSeparate(LocalPostgres postgres) throws SQLException {
    String a = postgres.createDatabase("iso");
    String b = postgres.createDatabase("iso");
    assertThat(a).isNotEqualTo(b);
    try (Connection c = postgres.dataSource(a).getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table only_in_a(x int)");
    }
    try (Connection c = postgres.dataSource(b).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select count(*) from pg_tables where tablename = 'only_in_a'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void restartsOnTheSamePortWithItsData() throws SQLException {
    try (LocalPostgres own = LocalPostgres.start()) {
      String db = own.createDatabase("restart");
      try (Connection c = own.dataSource(db).getConnection();
          Statement s = c.createStatement()) {
        s.execute("create table survives(id int)");
        s.execute("insert into survives values (7)");
      }
      int port = own.port();
      own.stop();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> own.dataSource(db).getConnection().close())
          .isInstanceOf(SQLException.class);
      own.startAgain();
      assertThat(own.port()).isEqualTo(port);
      try (Connection c = own.dataSource(db).getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id from survives")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(7);
      }
    }
  }

  private static HikariDataSource pool(LocalPostgres postgres, String db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(db));
    config.setUsername(LocalPostgres.USER);
    config.setPassword(LocalPostgres.PASSWORD);
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  private static String query(LocalPostgres postgres, String sql) throws SQLException {
    try (Connection c = postgres.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
