package dev.sqsworker.app.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

class PoolsTest {

  static AppSettings.Jdbc jdbc(String url) {
    return new AppSettings.Jdbc(url, "worker", Optional.empty(), 4);
  }

  @Test
  void failoverSettingsAreThePoolsDefaults() {
    HikariConfig config = Pools.config(jdbc("jdbc:postgresql://a:5432,b:5432/orders"));

    assertThat(config.getDataSourceProperties())
        .containsEntry("targetServerType", "primary")
        .containsEntry("connectTimeout", "5")
        .containsEntry("socketTimeout", "60")
        .containsEntry("hostRecheckSeconds", "2")
        .containsEntry("tcpKeepAlive", "true");
    assertThat(config.getMaxLifetime()).isEqualTo(Pools.MAX_LIFETIME.toMillis());
    assertThat(config.getKeepaliveTime()).isEqualTo(Pools.KEEPALIVE_TIME.toMillis());
    assertThat(config.getKeepaliveTime()).isLessThan(config.getMaxLifetime());
  }

  @Test
  void aParameterInTheUrl_winsOverTheDefault() {
    HikariConfig config =
        Pools.config(
            jdbc("jdbc:postgresql://a:5432/orders?socketTimeout=300&targetServerType=any"));

    // HikariCP hands the data source properties to the driver with the URL; the driver's parse is
    // what decides.
    Properties parsed = Driver.parseURL(config.getJdbcUrl(), config.getDataSourceProperties());

    assertThat(parsed.getProperty("socketTimeout")).isEqualTo("300");
    assertThat(parsed.getProperty("targetServerType")).isEqualTo("any");
    assertThat(parsed.getProperty("connectTimeout")).isEqualTo("5");
  }

  @Test
  void aReadOnlyAnswer_evictsTheConnection_otherStatesAreLeftToHikari() {
    var override = new Pools.EvictReadOnly();

    assertThat(override.adjudicate(new SQLException("read-only transaction", "25006")))
        .isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
    SQLException batch = new SQLException("batch failed", (String) null);
    batch.setNextException(new SQLException("read-only transaction", "25006"));
    assertThat(override.adjudicate(batch)).isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
    assertThat(override.adjudicate(new SQLException("duplicate key", "23505")))
        .isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
  }
}
