package dev.sqsworker.app;

import dev.sqsworker.core.resilience.Downstreams;

/**
 * A worker process for {@link GlobalRateLimitProcessesIT}: {@link WorkerApplication} from the
 * environment, with a customizer that builds the {@code partner} downstream from the {@code
 * SQSWORKER_DOWNSTREAM_PARTNER_*} variables over the application's database, and shows its global
 * rate limit in {@code /health/ready}.
 */
public final class GlobalLimitWorkerMain {

  private GlobalLimitWorkerMain() {}

  /** Runs until SIGTERM. */
  public static void main(String[] args) throws InterruptedException {
    Downstreams[] downstreams = new Downstreams[1];
    WorkerApplication app =
        WorkerApplication.builder()
            .environment(System.getenv())
            .customizer(
                (worker, context) -> {
                  downstreams[0] =
                      Downstreams.builder()
                          .environment(context.environment())
                          .globalRateStore(context.dataSource().orElseThrow())
                          .meterRegistry(context.meterRegistry())
                          .build();
                  PartnerCallHandler.partner = downstreams[0].get("partner");
                  context.addHealthContributor(
                      "rate-limits", HealthContributor.globalRateLimits(downstreams[0]));
                })
            .build();
    app.registerShutdownHook();
    app.start();
    app.awaitStopped();
    downstreams[0].close();
  }
}
