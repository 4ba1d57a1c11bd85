package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.resilience.RateLimitSchema;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.WithLocalServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Several tasks starting at once (a deploy, a scale-out) migrate the same fresh database together,
 * empty or holding the application's own tables. Side by side, one of them used to find the schema
 * no longer empty (another had begun) but the history table another had just created still empty,
 * take the baseline path and stop the task: "Unable to baseline schema history table ... already
 * exists, and is empty" (seen with three worker JVMs starting on one new database).
 */
@WithLocalServices
class ConcurrentMigrationIT {

  private static final int TASKS = 12;

  @Test
  void idempotencyMigrationsStartedTogetherAllSucceed(LocalPostgres postgres) throws Exception {
    migrateTogether(
        postgres, "idem_race", IdempotencySchema::migrate, IdempotencySchema.HISTORY_TABLE);
  }

  @Test
  void rateLimitMigrationsStartedTogetherAllSucceed(LocalPostgres postgres) throws Exception {
    migrateTogether(postgres, "rate_race", RateLimitSchema::migrate, RateLimitSchema.HISTORY_TABLE);
  }

  private static void migrateTogether(
      LocalPostgres postgres, String name, Consumer<DataSource> migrate, String historyTable)
      throws Exception {
    for (int round = 0; round < 4; round++) {
      DataSource db = postgres.dataSource(postgres.createDatabase(name));
      if (round % 2 == 1) {
        try (Connection c = db.getConnection();
            Statement s = c.createStatement()) {
          s.execute("CREATE TABLE orders (id bigint PRIMARY KEY)"); // the application's own table
        }
      }
      ExecutorService tasks = Executors.newFixedThreadPool(TASKS);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
          started.add(
              tasks.submit(
                  () -> {
                    go.await();
                    migrate.accept(db);
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> task : started) {
          task.get(60, TimeUnit.SECONDS); // throws if any migration failed
        }
      } finally {
        tasks.shutdownNow();
      }
      try (Connection c = db.getConnection();
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*) FILTER (WHERE type = 'BASELINE'), count(*) FILTER (WHERE"
                      + " type = 'SQL' AND success) FROM "
                      + historyTable)) {
        r.next();
        assertThat(r.getInt(1)).as("baselines").isLessThanOrEqualTo(1);
        assertThat(r.getInt(2)).as("migrations applied").isGreaterThanOrEqualTo(1);
      }
    }
  }
}
