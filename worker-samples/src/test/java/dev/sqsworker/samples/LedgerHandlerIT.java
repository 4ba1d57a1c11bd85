package dev.sqsworker.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.BackoffPolicy;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@WithLocalServices
class LedgerHandlerIT {

  @Test
  void appliesEveryAccountsEntriesOnceAndInOrderDespiteFailures(
      LocalSqs sqs, LocalPostgres postgres) throws Exception {
    DataSource db = postgres.dataSource(postgres.createDatabase("ledger"));
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(LedgerHandler.DDL);
    }
    QueuePair queues =
        sqs.createQueueWithDlq(
            "ledger.fifo", 20, Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
    String[] accounts = {"acc-a", "acc-b", "acc-c"};
    for (int seq = 1; seq <= 15; seq++) {
      for (String account : accounts) {
        String body =
            "{\"accountId\":\""
                + account
                + "\",\"sequence\":"
                + seq
                + ",\"amountCents\":"
                + seq * 100
                + "}";
        sqs.client()
            .sendMessage(
                b -> b.queueUrl(queues.queueUrl()).messageBody(body).messageGroupId(account));
      }
    }
    LedgerHandler ledger = new LedgerHandler();
    Random random = new Random(7);
    AtomicInteger injected = new AtomicInteger();
    try (SqsAsyncClient client = sqs.newAsyncClient();
        Worker worker =
            Worker.builder()
                .client(client)
                .config(
                    WorkerConfig.builder()
                        .queueUrl(queues.queueUrl())
                        .dlqUrl(queues.dlqUrl())
                        .concurrency(6)
                        .maxAttempts(10)
                        .waitTime(Duration.ofSeconds(1))
                        .backoff(BackoffPolicy.fixed(Duration.ZERO))
                        .build())
                .idempotency(Idempotency.postgres(db).mode(IdempotencyMode.TRANSACTIONAL).build())
                .handler(
                    LedgerHandler.Entry.class,
                    (entry, context) -> {
                      ledger.handle(entry, context);
                      // Fail after writing, sometimes: the write must roll back and order hold.
                      if (random.nextInt(10) == 0) {
                        injected.incrementAndGet();
                        throw new IllegalStateException("flaky after write");
                      }
                    })
                .build()) {
      worker.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  sqs
                          .client()
                          .getQueueAttributes(
                              b ->
                                  b.queueUrl(queues.queueUrl())
                                      .attributeNames(
                                          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                          QueueAttributeName
                                              .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                          .attributes()
                          .values()
                          .stream()
                          .mapToInt(Integer::parseInt)
                          .sum()
                      == 0);
    }
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT account_id, balance_cents, last_sequence FROM accounts ORDER BY 1")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertThat(rs.getLong(3)).isEqualTo(15);
        assertThat(rs.getLong(2)).isEqualTo(100L * (15 * 16 / 2));
      }
      assertThat(rows).isEqualTo(3);
    }
    assertThat(injected.get()).isPositive();
  }
}
