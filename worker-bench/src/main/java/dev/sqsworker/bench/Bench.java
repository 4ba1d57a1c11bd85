package dev.sqsworker.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.core.idempotency.IdempotencySchema;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code bin/bench}: runs every scenario against the embedded SQS server, prints a table of medians
 * with min and max, and writes JSON and a PNG chart when asked.
 */
public final class Bench {

  private final BenchOptions options;
  private final Scenarios scenarios;
  private final CountingDataSource db;

  Bench(BenchOptions options, Scenarios scenarios, CountingDataSource db) {
    this.options = options;
    this.scenarios = scenarios;
    this.db = db;
  }

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--replot")) {
      // bin/bench --replot results.json chart.png: the chart of an earlier run, without running.
      var path = java.nio.file.Path.of(args[2]);
      new Report(Report.readFigures(java.nio.file.Path.of(args[1])), BenchOptions.parse())
          .writeChart(path);
      System.out.println("wrote " + path);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    try (LocalServices services = LocalServices.builder().sqs().postgres().start();
        HikariDataSource pool = pool(services.postgres());
        Scenarios scenarios = new Scenarios(services.sqs())) {
      IdempotencySchema.migrate(pool);
      List<Figure> figures = new Bench(options, scenarios, new CountingDataSource(pool)).run();
      Report report = new Report(figures, options);
      report.print(System.out);
      if (options.json() != null) {
        report.writeJson(options.json());
        System.out.println("wrote " + options.json());
      }
      if (options.chart() != null) {
        report.writeChart(options.chart());
        System.out.println("wrote " + options.chart());
      }
    }
    System.exit(0);
  }

  private static HikariDataSource pool(LocalPostgres postgres) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(postgres.createDatabase("bench")));
    config.setUsername(LocalPostgres.USER);
    config.setPassword(LocalPostgres.PASSWORD);
    config.setMaximumPoolSize(16);
    return new HikariDataSource(config);
  }

  List<Figure> run() throws Exception {
    List<Figure> figures = new ArrayList<>();
    int concurrency = 10;
    int messages = options.messages();
    log("throughput: " + messages + " messages, concurrency " + concurrency);
    // Warm-up: one round of each, not counted.
    scenarios.baseline(messages / 2, concurrency);
    scenarios.workerNoop(messages / 2, concurrency);
    List<Scenarios.Throughput> base = new ArrayList<>();
    List<Scenarios.Throughput> work = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < options.rounds(); r++) {
      // Interleaved so drift in the machine's load hits both alike.
      Scenarios.Throughput b = scenarios.baseline(messages, concurrency);
      Scenarios.Throughput w = scenarios.workerNoop(messages, concurrency);
      base.add(b);
      work.add(w);
      ratios.add(w.messagesPerSecond() / b.messagesPerSecond());
      log(
          String.format(
              "  round %d: baseline %.0f msg/s, worker %.0f msg/s",
              r + 1, b.messagesPerSecond(), w.messagesPerSecond()));
    }
    figures.add(
        Figure.of(
            "baseline.throughput",
            "bare SDK receive+deleteBatch loop",
            "msg/s",
            stats(base, Scenarios.Throughput::messagesPerSecond)));
    figures.add(
        Figure.of(
            "worker.noop.throughput",
            "worker, no-op handler",
            "msg/s",
            stats(work, Scenarios.Throughput::messagesPerSecond)));
    figures.add(
        Figure.atLeast(
            "worker.noop.ratio", "worker ÷ baseline, same round", "ratio", Stats.of(ratios), 0.90));
    figures.add(
        Figure.atMost(
            "worker.requests.per.message",
            "receive + delete requests per message",
            "req/msg",
            stats(work, Scenarios.Throughput::steadyRequestsPerMessage),
            0.21));
    figures.add(
        Figure.of(
            "worker.all.requests.per.message",
            "every SQS request per message (start checks, final empty receives)",
            "req/msg",
            stats(work, Scenarios.Throughput::requestsPerMessage)));
    figures.add(
        Figure.of(
            "baseline.requests.per.message",
            "baseline requests per message",
            "req/msg",
            stats(base, Scenarios.Throughput::requestsPerMessage)));

    idempotency(figures, messages, concurrency);

    int[] ioConcurrency = options.quick() ? new int[] {100} : new int[] {100, 500};
    for (int c : ioConcurrency) {
      int ioMessages = c * (options.quick() ? 5 : 20);
      log("I/O-bound: " + ioMessages + " messages of 100 ms at concurrency " + c);
      List<Scenarios.IoBound> io = new ArrayList<>();
      for (int r = 0; r < (options.quick() ? 1 : options.rounds()); r++) {
        io.add(scenarios.ioBound(ioMessages, c, Duration.ofMillis(100)));
      }
      figures.add(
          Figure.of(
              "io" + c + ".throughput",
              "100 ms handlers at concurrency " + c,
              "msg/s",
              stats(io, Scenarios.IoBound::messagesPerSecond)));
      figures.add(
          Figure.of(
              "io" + c + ".of.bound",
              "throughput ÷ Little's-law bound (" + c * 10 + " msg/s)",
              "ratio",
              stats(io, x -> x.messagesPerSecond() / x.littlesLawBound())));
      figures.add(
          Figure.of(
              "io" + c + ".peak.heap",
              "peak heap used during the run",
              "MiB",
              stats(io, Scenarios.IoBound::peakHeapMb)));
    }

    int held = options.quick() ? 50 : 1000;
    log("long handlers: " + held + " messages held past their visibility timeout");
    List<Scenarios.LongHandlers> longRuns = new ArrayList<>();
    for (int r = 0; r < (options.quick() ? 1 : 3); r++) {
      longRuns.add(scenarios.longHandlers(held));
    }
    figures.add(
        Figure.atMost(
            "long.extension.calls.per.message.per.round",
            "extension requests per message per round (" + held + " held)",
            "req/msg",
            stats(longRuns, Scenarios.LongHandlers::callsPerMessagePerRound),
            0.1));
    figures.add(
        Figure.of(
            "long.extension.rounds",
            "extension rounds per message in 3 visibility timeouts",
            "rounds",
            stats(longRuns, Scenarios.LongHandlers::rounds)));

    log("startup");
    List<Double> startups = new ArrayList<>();
    for (int r = 0; r < Math.min(3, options.rounds()); r++) {
      startups.add(scenarios.startup());
    }
    figures.add(
        Figure.of(
            "startup.first.message", "start() to first message handled", "ms", Stats.of(startups)));
    return figures;
  }

  private void idempotency(List<Figure> figures, int messages, int concurrency) throws Exception {
    log("idempotency: " + messages + " messages, concurrency " + concurrency);
    scenarios.workerIdempotent(messages / 2, concurrency, db, IdempotencyMode.NON_TRANSACTIONAL);
    List<Double> plainRate = new ArrayList<>();
    List<Scenarios.Idempotent> plain = new ArrayList<>();
    List<Scenarios.Idempotent> transactional = new ArrayList<>();
    for (int r = 0; r < options.rounds(); r++) {
      Scenarios.Throughput noop = scenarios.workerNoop(messages, concurrency);
      plainRate.add(noop.messagesPerSecond());
      plain.add(
          scenarios.workerIdempotent(messages, concurrency, db, IdempotencyMode.NON_TRANSACTIONAL));
      transactional.add(
          scenarios.workerIdempotent(messages, concurrency, db, IdempotencyMode.TRANSACTIONAL));
    }
    List<Double> plainRatio = new ArrayList<>();
    List<Double> txRatio = new ArrayList<>();
    for (int r = 0; r < plain.size(); r++) {
      plainRatio.add(plain.get(r).messagesPerSecond() / plainRate.get(r));
      txRatio.add(transactional.get(r).messagesPerSecond() / plainRate.get(r));
    }
    figures.add(
        Figure.of(
            "idem.throughput",
            "worker + PostgreSQL idempotency",
            "msg/s",
            stats(plain, Scenarios.Idempotent::messagesPerSecond)));
    figures.add(
        Figure.of("idem.ratio", "÷ no-op worker, same round", "ratio", Stats.of(plainRatio)));
    figures.add(
        Figure.atMost(
            "idem.roundtrips.per.message",
            "PostgreSQL round trips per message",
            "rt/msg",
            stats(plain, Scenarios.Idempotent::roundTripsPerMessage),
            0.25));
    figures.add(
        Figure.of(
            "idem.tx.throughput",
            "worker + transactional idempotency",
            "msg/s",
            stats(transactional, Scenarios.Idempotent::messagesPerSecond)));
    figures.add(
        Figure.of("idem.tx.ratio", "÷ no-op worker, same round", "ratio", Stats.of(txRatio)));
    figures.add(
        Figure.of(
            "idem.tx.roundtrips.per.message",
            "round trips per message, with its own completion and commit",
            "rt/msg",
            stats(transactional, Scenarios.Idempotent::roundTripsPerMessage)));
  }

  private static <T> Stats stats(List<T> rounds, ToDoubleFunction<T> value) {
    List<Double> values = new ArrayList<>();
    rounds.forEach(r -> values.add(value.applyAsDouble(r)));
    return Stats.of(values);
  }

  private static void log(String line) {
    System.out.println(line);
  }
}
