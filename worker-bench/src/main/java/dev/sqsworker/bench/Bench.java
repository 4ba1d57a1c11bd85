package dev.sqsworker.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.core.idempotency.IdempotencySchema;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@code bin/bench}: runs every scenario against the embedded SQS server, prints a table of medians
 * with min and max, and writes JSON and a PNG chart when asked.
 */
public final class Bench {

  private final BenchOptions options;
  private final Scenarios scenarios;
  private final ScaleOut scaleOut;
  private final ClaimCost claimCost;
  private final CountingDataSource db;

  Bench(
      BenchOptions options,
      Scenarios scenarios,
      CountingDataSource db,
      ScaleOut scaleOut,
      ClaimCost claimCost) {
    this.scaleOut = scaleOut;
    this.claimCost = claimCost;
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
    // The SQS server in its own JVM: its CPU and garbage are measured apart from the clients'.
    try (SqsServerProcess server = SqsServerProcess.start();
        LocalSqs sqs = LocalSqs.connect(server.endpoint());
        LocalPostgres postgres = LocalPostgres.start();
        HikariDataSource pool = pool(postgres);
        Scenarios scenarios = new Scenarios(sqs, server::cpuNanos)) {
      IdempotencySchema.migrate(pool);
      ScaleOut scaleOut = new ScaleOut(sqs, postgres, System.getProperty("java.class.path"));
      List<Figure> figures =
          new Bench(
                  options,
                  scenarios,
                  new CountingDataSource(pool),
                  scaleOut,
                  new ClaimCost(postgres))
              .run();
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
    int messages = options.messages();
    int concurrency = NOOP_CONCURRENCY[0];
    if (options.runs("noop")) {
      noop(figures, messages);
    }
    if (options.runs("idem")) {
      idempotency(figures, messages, concurrency);
    }
    if (options.runs("batch")) {
      batch(figures, messages, concurrency);
    }
    if (options.runs("claims")) {
      claims(figures);
    }
    if (options.runs("ratelimit")) {
      rateLimit(figures);
    }
    if (options.runs("spring")) {
      spring(figures, messages, concurrency);
    }
    if (options.runs("io")) {
      io(figures);
    }
    if (options.runs("scaleout")) {
      scaleOut(figures);
    }
    if (options.runs("long")) {
      longHandlers(figures);
    }
    if (options.runs("startup")) {
      startup(figures);
    }
    return figures;
  }

  /** The no-op worker against both baselines at each concurrency, and the summary figures. */
  private void noop(List<Figure> figures, int messages) throws Exception {
    List<NoopRounds> levels = new ArrayList<>();
    for (int concurrency : NOOP_CONCURRENCY) {
      levels.add(noopLevel(figures, messages, concurrency));
    }
    // The targets hold at every concurrency: each summary figure is the level that does worst.
    NoopRounds worstSync = worst(levels, NoopRounds::syncRatios, true);
    NoopRounds worstAsync = worst(levels, NoopRounds::asyncRatios, true);
    NoopRounds worstCpu = worst(levels, NoopRounds::cpuRatios, false);
    figures.add(
        Figure.atLeast(
            "noop.ratio.sync",
            "worker ÷ sync loop, same round (worst of c=16/64: c=" + worstSync.concurrency() + ")",
            "ratio",
            Stats.of(worstSync.syncRatios()),
            0.80));
    figures.add(
        Figure.atLeast(
            "noop.ratio.async",
            "worker ÷ async loop, same round (worst: c=" + worstAsync.concurrency() + ")",
            "ratio",
            Stats.of(worstAsync.asyncRatios()),
            0.90));
    figures.add(
        Figure.atMost(
            "noop.cpu.ratio",
            "worker client CPU/msg ÷ async loop's (worst: c=" + worstCpu.concurrency() + ")",
            "ratio",
            Stats.of(worstCpu.cpuRatios()),
            1.5));
    List<Double> requests = new ArrayList<>();
    levels.forEach(l -> l.worker().forEach(w -> requests.add(w.steadyRequestsPerMessage())));
    figures.add(
        Figure.atMost(
            "noop.requests.per.message",
            "worker's receive + delete requests per message, c=16 and 64",
            "req/msg",
            Stats.of(requests),
            0.21));
  }

  /** I/O-bound handlers against the Little's-law bound, every SQS call a round trip late. */
  private void io(List<Figure> figures) throws Exception {
    // Both levels in a quick run too: it writes every figure the full run checks.
    for (int c : new int[] {100, 500}) {
      // Fifty handler times per round: the start-up (a few round trips) and the last wave are
      // a small part of it, as they are of a worker that runs for hours.
      int ioMessages = c * (options.quick() ? 5 : 50);
      log(
          "I/O-bound: "
              + ioMessages
              + " messages of 100 ms at concurrency "
              + c
              + ", every SQS call "
              + SQS_LATENCY.toMillis()
              + " ms late");
      // One untimed round first: a run of this family alone would otherwise measure the JIT
      // compiling the message path for 500 handler threads, not the worker.
      scenarios.ioBound(c * 5, c, Duration.ofMillis(100), SQS_LATENCY);
      List<Scenarios.IoBound> io = new ArrayList<>();
      for (int r = 0; r < (options.quick() ? 1 : options.rounds()); r++) {
        io.add(scenarios.ioBound(ioMessages, c, Duration.ofMillis(100), SQS_LATENCY));
      }
      figures.add(
          Figure.of(
              "io" + c + ".throughput",
              "100 ms handlers at concurrency " + c,
              "msg/s",
              stats(io, Scenarios.IoBound::messagesPerSecond)));
      figures.add(
          Figure.atLeast(
              "io" + c + ".of.bound",
              "throughput ÷ Little's-law bound (" + c * 10 + " msg/s)",
              "ratio",
              stats(io, x -> x.messagesPerSecond() / x.littlesLawBound()),
              0.9));
      figures.add(
          Figure.of(
              "io" + c + ".max.start.wait",
              "longest a received message waited for a handler (one receive round trip ≥ "
                  + SQS_LATENCY.toMillis()
                  + " ms)",
              "ms",
              stats(io, Scenarios.IoBound::maxStartWaitMs)));
      figures.add(
          Figure.of(
              "io" + c + ".p99.start.wait",
              "99th percentile of that wait",
              "ms",
              stats(io, Scenarios.IoBound::p99StartWaitMs)));
      figures.add(
          Figure.of(
              "io" + c + ".peak.heap",
              "peak heap used during the run",
              "MiB",
              stats(io, Scenarios.IoBound::peakHeapMb)));
    }
  }

  /** Handlers held past their visibility timeout: the heartbeat's batched extensions. */
  private void longHandlers(List<Figure> figures) throws Exception {
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
  }

  /** From start() to the first message handled. */
  private void startup(List<Figure> figures) throws Exception {
    log("startup");
    List<Double> startups = new ArrayList<>();
    for (int r = 0; r < Math.min(3, options.rounds()); r++) {
      startups.add(scenarios.startup());
    }
    figures.add(
        Figure.of(
            "startup.first.message", "start() to first message handled", "ms", Stats.of(startups)));
  }

  /**
   * Three worker JVMs against one, interleaved: WorkerApplication with idempotency on, 50 ms
   * handlers, concurrency 16 each.
   */
  private void scaleOut(List<Figure> figures) throws Exception {
    int messages = options.quick() ? 1200 : 3000;
    // Untimed messages per worker JVM first, so every JVM is measured compiled, not compiling.
    int warmUp = options.quick() ? 500 : 2000;
    int concurrency = 16;
    Duration handler = Duration.ofMillis(50);
    log(
        "scale-out: "
            + messages
            + " messages of 50 ms, 1 and 3 worker JVMs of concurrency "
            + concurrency
            + ", idempotency on, after "
            + warmUp
            + " untimed per JVM");
    List<Double> one = new ArrayList<>();
    List<Double> three = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < (options.quick() ? 1 : 3); r++) {
      ScaleOut.Round single = scaleOut.run(1, messages, warmUp, concurrency, handler);
      ScaleOut.Round triple = scaleOut.run(3, messages, warmUp, concurrency, handler);
      one.add(single.messagesPerSecond());
      three.add(triple.messagesPerSecond());
      ratios.add(triple.messagesPerSecond() / single.messagesPerSecond());
      log(
          String.format(
              Locale.ROOT,
              "  round %d: 1 JVM %.0f, 3 JVMs %.0f msg/s; CPU/msg workers %.0f / %.0f µs,"
                  + " SQS+PostgreSQL+bench %.0f / %.0f µs; machine busy %.0f %% / %.0f %%; send %.1f / %.1f s",
              r + 1,
              single.messagesPerSecond(),
              triple.messagesPerSecond(),
              single.workerCpuMicrosPerMessage(),
              triple.workerCpuMicrosPerMessage(),
              single.otherCpuMicrosPerMessage(),
              triple.otherCpuMicrosPerMessage(),
              single.machineBusy() * 100,
              triple.machineBusy() * 100,
              single.sendSeconds(),
              triple.sendSeconds()));
      log(
          "    SQS requests per message: 1 JVM "
              + single.requestsPerMessage()
              + ", 3 JVMs "
              + triple.requestsPerMessage());
    }
    figures.add(
        Figure.of(
            "scaleout.one.throughput",
            "1 worker JVM, 50 ms handlers, concurrency " + concurrency,
            "msg/s",
            Stats.of(one)));
    figures.add(
        Figure.of(
            "scaleout.three.throughput",
            "3 worker JVMs on one queue and one PostgreSQL",
            "msg/s",
            Stats.of(three)));
    figures.add(
        Figure.atLeast(
            "scaleout.ratio",
            "3 JVMs ÷ 1 JVM, every message once",
            "ratio",
            Stats.of(ratios),
            2.5));
  }

  /** The latency added to every SQS call of the I/O-bound rounds: a real queue's round trip. */
  static final Duration SQS_LATENCY = Duration.ofMillis(20);

  /**
   * The idempotency table as it grows: claim throughput with 10 million rows (half a million with
   * --quick) against 10 thousand, and claim latency at 2,000 inserts/s with and without the purge.
   */
  private void claims(List<Figure> figures) throws Exception {
    long large = options.quick() ? 500_000 : 10_000_000;
    Duration time = Duration.ofSeconds(options.quick() ? 2 : 10);
    int rounds = options.quick() ? 1 : 3;
    log("claims: 10,000 rows against " + String.format(Locale.ROOT, "%,d", large) + " rows");
    List<Double> small = new ArrayList<>();
    List<Double> big = new ArrayList<>();
    List<Double> flatness = new ArrayList<>();
    List<ClaimCost.Result> off = new ArrayList<>();
    List<ClaimCost.Result> on = new ArrayList<>();
    try (ClaimCost.Table smallTable = claimCost.table(10_000);
        ClaimCost.Table largeTable = claimCost.table(large)) {
      for (int r = 0; r < rounds; r++) {
        double s = smallTable.measure(time, 0, false).keysPerSecond();
        double b = largeTable.measure(time, 0, false).keysPerSecond();
        small.add(s);
        big.add(b);
        flatness.add(b / s);
        log(String.format(Locale.ROOT, "  round %d: %.0f vs %.0f keys/s", r + 1, s, b));
      }
      log("purge: 2,000 keys/s completed as expired, without and with the purge");
      for (int r = 0; r < rounds; r++) {
        off.add(smallTable.measure(time, 2_000, false));
        on.add(smallTable.measure(time, 2_000, true));
      }
    }
    figures.add(
        Figure.of(
            "claims.small.throughput", "keys claimed/s, 10,000 rows", "keys/s", Stats.of(small)));
    figures.add(
        Figure.of(
            "claims.large.throughput",
            String.format(Locale.ROOT, "keys claimed/s, %,d rows", large),
            "keys/s",
            Stats.of(big)));
    figures.add(
        Figure.atLeast(
            "claims.flatness",
            String.format(Locale.ROOT, "%,d rows ÷ 10,000 rows", large),
            "ratio",
            Stats.of(flatness),
            0.8));
    figures.add(
        Figure.of(
            "purge.off.claim.p50",
            "claim latency, no purge",
            "ms",
            stats(off, ClaimCost.Result::p50Ms)));
    figures.add(
        Figure.of(
            "purge.off.claim.p99",
            "claim latency p99, no purge",
            "ms",
            stats(off, ClaimCost.Result::p99Ms)));
    figures.add(
        Figure.of(
            "purge.on.claim.p50",
            "claim latency, purge running",
            "ms",
            stats(on, ClaimCost.Result::p50Ms)));
    figures.add(
        Figure.of(
            "purge.on.claim.p99",
            "claim latency p99, purge running",
            "ms",
            stats(on, ClaimCost.Result::p99Ms)));
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      p50.add(on.get(r).p50Ms() / off.get(r).p50Ms());
      p99.add(on.get(r).p99Ms() / off.get(r).p99Ms());
    }
    figures.add(
        Figure.atMost(
            "purge.claim.p50.ratio",
            "claim p50 with ÷ without the purge",
            "ratio",
            Stats.of(p50),
            1.2));
    figures.add(
        Figure.atMost(
            "purge.claim.p99.ratio",
            "claim p99 with ÷ without the purge",
            "ratio",
            Stats.of(p99),
            1.2));
    figures.add(
        Figure.of(
            "purge.rows.per.second",
            "rows the purge deleted per second (2,000 inserted)",
            "rows/s",
            stats(on, ClaimCost.Result::purgedPerSecond)));
    figures.add(
        Figure.of(
            "purge.expired.left",
            "expired rows left at the end (the purge keeps up if small)",
            "rows",
            stats(on, r -> (double) r.expiredLeft())));
  }

  /** A downstream's global rate limit shared through PostgreSQL by two tasks. */
  private void rateLimit(List<Figure> figures) throws Exception {
    Duration time = Duration.ofSeconds(options.quick() ? 3 : 6);
    int rounds = options.quick() ? 1 : 3;
    log("global rate limit: 2 tasks, 8 threads, " + SharedRateLimit.LIMIT + " calls/s shared");
    SharedRateLimit limit = new SharedRateLimit(db);
    List<SharedRateLimit.Result> results = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      results.add(limit.run(time));
    }
    figures.add(
        Figure.of(
            "ratelimit.calls.per.second",
            "calls let through, both tasks (limit " + SharedRateLimit.LIMIT + "/s)",
            "calls/s",
            stats(results, SharedRateLimit.Result::callsPerSecond)));
    figures.add(
        Figure.atMost(
            "ratelimit.busiest.window",
            "calls in the busiest 1 s window",
            "calls",
            stats(results, r -> (double) r.busiestWindow()),
            SharedRateLimit.LIMIT));
    figures.add(
        Figure.atMost(
            "ratelimit.roundtrips.per.call",
            "PostgreSQL statements and commits per call let through",
            "rt/call",
            stats(results, SharedRateLimit.Result::roundTripsPerCall),
            1.0));
  }

  /** The no-op concurrencies measured against both baselines. */
  static final int[] NOOP_CONCURRENCY = {16, 64};

  /** One concurrency's rounds: each baseline and the worker, interleaved. */
  record NoopRounds(
      int concurrency,
      List<Scenarios.Throughput> sync,
      List<Scenarios.Throughput> async,
      List<Scenarios.Throughput> worker,
      List<Double> syncRatios,
      List<Double> asyncRatios,
      List<Double> cpuRatios) {}

  private NoopRounds noopLevel(List<Figure> figures, int messages, int concurrency)
      throws Exception {
    log("no-op throughput: " + messages + " messages, concurrency " + concurrency);
    // Warm-up, not counted: enough rounds of each for the JIT to settle (the first worker rounds
    // of a run are markedly slower than the later ones).
    for (int w = 0; w < (options.quick() ? 3 : 5); w++) {
      scenarios.syncBaseline(messages / 2, concurrency);
      scenarios.asyncBaseline(messages / 2, concurrency);
      scenarios.workerNoop(messages / 2, concurrency);
    }
    NoopRounds rounds =
        new NoopRounds(
            concurrency,
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>());
    for (int r = 0; r < options.rounds(); r++) {
      // Interleaved, in a rotating order, so drift in the machine's load hits all three alike.
      Scenarios.Throughput[] round = new Scenarios.Throughput[3];
      for (int k = 0; k < 3; k++) {
        int variant = (r + k) % 3;
        round[variant] =
            switch (variant) {
              case 0 -> scenarios.syncBaseline(messages, concurrency);
              case 1 -> scenarios.asyncBaseline(messages, concurrency);
              default -> scenarios.workerNoop(messages, concurrency);
            };
      }
      rounds.sync().add(round[0]);
      rounds.async().add(round[1]);
      rounds.worker().add(round[2]);
      rounds.syncRatios().add(round[2].messagesPerSecond() / round[0].messagesPerSecond());
      rounds.asyncRatios().add(round[2].messagesPerSecond() / round[1].messagesPerSecond());
      rounds
          .cpuRatios()
          .add(round[2].clientCpuMicrosPerMessage() / round[1].clientCpuMicrosPerMessage());
      log(
          String.format(
              Locale.ROOT,
              "  round %d: sync %.0f, async %.0f, worker %.0f msg/s; client CPU %.0f / %.0f / %.0f"
                  + " µs/msg",
              r + 1,
              round[0].messagesPerSecond(),
              round[1].messagesPerSecond(),
              round[2].messagesPerSecond(),
              round[0].clientCpuMicrosPerMessage(),
              round[1].clientCpuMicrosPerMessage(),
              round[2].clientCpuMicrosPerMessage()));
    }
    String c = "noop.c" + concurrency + ".";
    String[] variants = {"sync", "async", "worker"};
    String[] labels = {
      "sync loop, Apache client, " + concurrency + " threads",
      "async loop, Netty client, " + concurrency + " chains",
      "worker, no-op handler, concurrency " + concurrency
    };
    List<List<Scenarios.Throughput>> all = List.of(rounds.sync(), rounds.async(), rounds.worker());
    for (int v = 0; v < 3; v++) {
      figures.add(
          Figure.of(
              c + variants[v] + ".throughput",
              labels[v],
              "msg/s",
              stats(all.get(v), Scenarios.Throughput::messagesPerSecond)));
    }
    record PerVariant(
        String suffix,
        String description,
        String unit,
        ToDoubleFunction<Scenarios.Throughput> value) {}
    List<PerVariant> perVariant =
        List.of(
            new PerVariant(
                ".client.cpu",
                ": client process CPU per message",
                "µs/msg",
                Scenarios.Throughput::clientCpuMicrosPerMessage),
            new PerVariant(
                ".server.cpu",
                ": SQS server process CPU per message",
                "µs/msg",
                Scenarios.Throughput::serverCpuMicrosPerMessage),
            new PerVariant(
                ".client.alloc",
                ": bytes the client's threads allocated per message",
                "B/msg",
                Scenarios.Throughput::clientBytesPerMessage));
    for (int v = 0; v < 3; v++) {
      for (PerVariant figure : perVariant) {
        figures.add(
            Figure.of(
                c + variants[v] + figure.suffix(),
                variants[v] + figure.description(),
                figure.unit(),
                stats(all.get(v), figure.value())));
      }
    }
    figures.add(
        Figure.of(c + "ratio.sync", "worker ÷ sync loop", "ratio", Stats.of(rounds.syncRatios())));
    figures.add(
        Figure.of(
            c + "ratio.async", "worker ÷ async loop", "ratio", Stats.of(rounds.asyncRatios())));
    figures.add(
        Figure.of(
            c + "cpu.ratio",
            "worker client CPU ÷ async loop's",
            "ratio",
            Stats.of(rounds.cpuRatios())));
    figures.add(
        Figure.of(
            c + "baseline.requests.per.message",
            "async loop's requests per message",
            "req/msg",
            stats(rounds.async(), Scenarios.Throughput::requestsPerMessage)));
    return rounds;
  }

  /** The level whose median is lowest ({@code lowest}) or highest. */
  private static NoopRounds worst(
      List<NoopRounds> levels,
      java.util.function.Function<NoopRounds, List<Double>> values,
      boolean lowest) {
    java.util.Comparator<NoopRounds> byMedian =
        java.util.Comparator.comparingDouble(l -> Stats.of(values.apply(l)).median());
    return lowest
        ? levels.stream().min(byMedian).orElseThrow()
        : levels.stream().max(byMedian).orElseThrow();
  }

  /**
   * The starter's worker against the plain one, interleaved (plain first in even rounds, the
   * starter's in odd ones), same queue size and concurrency, both timed from before their worker is
   * built. Three times the throughput rounds' messages (at least 30,000): a round of 10,000 lasted
   * about a second, and a fixed 50 ms moved the ratio by 5 %.
   */
  private void spring(List<Figure> figures, int messages, int concurrency) throws Exception {
    int springMessages = options.quick() ? messages : Math.max(3 * messages, 30_000);
    log(
        "Spring Boot starter: "
            + springMessages
            + " messages, concurrency "
            + concurrency
            + ", "
            + options.rounds()
            + " rounds interleaved");
    scenarios.workerSpring(springMessages / 2, concurrency);
    scenarios.workerNoopTimedFromBuild(springMessages / 2, concurrency);
    List<Scenarios.Throughput> spring = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < options.rounds(); r++) {
      Scenarios.Throughput plain;
      Scenarios.Throughput boot;
      if (r % 2 == 0) {
        plain = scenarios.workerNoopTimedFromBuild(springMessages, concurrency);
        boot = scenarios.workerSpring(springMessages, concurrency);
      } else {
        boot = scenarios.workerSpring(springMessages, concurrency);
        plain = scenarios.workerNoopTimedFromBuild(springMessages, concurrency);
      }
      spring.add(boot);
      ratios.add(boot.messagesPerSecond() / plain.messagesPerSecond());
      log(
          String.format(
              Locale.ROOT,
              "  round %d: plain %.0f msg/s (%.0f µs CPU/msg), starter %.0f msg/s (%.0f µs), ratio"
                  + " %.3f",
              r + 1,
              plain.messagesPerSecond(),
              plain.clientCpuMicrosPerMessage(),
              boot.messagesPerSecond(),
              boot.clientCpuMicrosPerMessage(),
              boot.messagesPerSecond() / plain.messagesPerSecond()));
    }
    figures.add(
        Figure.of(
            "spring.throughput",
            "worker from the Spring Boot starter, no-op handler",
            "msg/s",
            stats(spring, Scenarios.Throughput::messagesPerSecond)));
    figures.add(
        Figure.atLeast(
            "spring.ratio",
            "Spring Boot starter ÷ plain worker, same round",
            "ratio",
            Stats.of(ratios),
            0.95));
  }

  private void idempotency(List<Figure> figures, int messages, int concurrency) throws Exception {
    log("idempotency: " + messages + " messages, concurrency " + concurrency);
    // Warm-up, not counted: each of the three variants, so none is measured while the JIT is
    // still compiling its path.
    for (int w = 0; w < (options.quick() ? 1 : 2); w++) {
      scenarios.workerNoop(messages / 2, concurrency);
      scenarios.workerIdempotent(messages / 2, concurrency, db, IdempotencyMode.NON_TRANSACTIONAL);
      scenarios.workerIdempotent(messages / 2, concurrency, db, IdempotencyMode.TRANSACTIONAL);
    }
    List<Double> plainRate = new ArrayList<>();
    List<Scenarios.Idempotent> plain = new ArrayList<>();
    List<Scenarios.Idempotent> transactional = new ArrayList<>();
    for (int r = 0; r < options.rounds(); r++) {
      // In a rotating order, so drift in the machine's load (and the database's background work
      // after the transactional rounds) hits all three alike.
      for (int k = 0; k < 3; k++) {
        switch ((r + k) % 3) {
          case 0 -> plainRate.add(scenarios.workerNoop(messages, concurrency).messagesPerSecond());
          case 1 ->
              plain.add(
                  scenarios.workerIdempotent(
                      messages, concurrency, db, IdempotencyMode.NON_TRANSACTIONAL));
          default ->
              transactional.add(
                  scenarios.workerIdempotent(
                      messages, concurrency, db, IdempotencyMode.TRANSACTIONAL));
        }
      }
    }
    List<Double> plainRatio = new ArrayList<>();
    List<Double> txRatio = new ArrayList<>();
    for (int r = 0; r < plain.size(); r++) {
      plainRatio.add(plain.get(r).messagesPerSecond() / plainRate.get(r));
      txRatio.add(transactional.get(r).messagesPerSecond() / plainRate.get(r));
    }
    figures.add(
        Figure.of(
            "idem.noop.throughput", "no-op worker, same rounds", "msg/s", Stats.of(plainRate)));
    figures.add(
        Figure.of(
            "idem.throughput",
            "worker + PostgreSQL idempotency",
            "msg/s",
            stats(plain, Scenarios.Idempotent::messagesPerSecond)));
    figures.add(
        Figure.atLeast(
            "idem.ratio", "÷ no-op worker, same round", "ratio", Stats.of(plainRatio), 0.7));
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
        Figure.atLeast(
            "idem.tx.ratio", "÷ no-op worker, same round", "ratio", Stats.of(txRatio), 0.4));
    figures.add(
        Figure.atMost(
            "idem.tx.roundtrips.per.message",
            "round trips per message, with its own completion and commit",
            "rt/msg",
            stats(transactional, Scenarios.Idempotent::roundTripsPerMessage),
            2.2));
  }

  /**
   * A batch handler writing each receive with one multi-row INSERT against the single handler
   * writing each message with its own INSERT, same queue size and PostgreSQL, with as many handler
   * calls (threads, connections) in flight: {@code calls} single handlers, {@code calls} batch
   * calls of up to {@code batchSize} messages each. Interleaved rounds in alternating order.
   */
  private void batch(List<Figure> figures, int messages, int calls) throws Exception {
    int concurrency = calls;
    int batchConcurrency = calls * dev.sqsworker.core.WorkerConfig.DEFAULT_BATCH_SIZE;
    log(
        "batch handler: "
            + messages
            + " messages, "
            + calls
            + " calls in flight (concurrency "
            + concurrency
            + " / "
            + batchConcurrency
            + "), INSERTs");
    scenarios.workerInsertEach(messages / 2, concurrency, db);
    scenarios.workerInsertBatch(messages / 2, batchConcurrency, db);
    List<Scenarios.Throughput> each = new ArrayList<>();
    List<Scenarios.Throughput> batched = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < options.rounds(); r++) {
      Scenarios.Throughput one;
      Scenarios.Throughput many;
      if (r % 2 == 0) {
        one = scenarios.workerInsertEach(messages, concurrency, db);
        many = scenarios.workerInsertBatch(messages, batchConcurrency, db);
      } else {
        many = scenarios.workerInsertBatch(messages, batchConcurrency, db);
        one = scenarios.workerInsertEach(messages, concurrency, db);
      }
      each.add(one);
      batched.add(many);
      ratios.add(many.messagesPerSecond() / one.messagesPerSecond());
      log(
          String.format(
              Locale.ROOT,
              "  round %d: one INSERT per message %.0f, one per batch %.0f msg/s",
              r + 1,
              one.messagesPerSecond(),
              many.messagesPerSecond()));
    }
    figures.add(
        Figure.of(
            "batch.single.throughput",
            "single handler, one INSERT per message, concurrency " + concurrency,
            "msg/s",
            stats(each, Scenarios.Throughput::messagesPerSecond)));
    figures.add(
        Figure.of(
            "batch.throughput",
            "batch handler, one multi-row INSERT per receive, "
                + calls
                + " calls (concurrency "
                + batchConcurrency
                + ")",
            "msg/s",
            stats(batched, Scenarios.Throughput::messagesPerSecond)));
    figures.add(
        Figure.of(
            "batch.ratio",
            "batch handler ÷ single handler, as many calls in flight, same round",
            "ratio",
            Stats.of(ratios)));
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
