package dev.sqsworker.infra;

import dev.sqsworker.infra.internal.ContextConfig;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one {@link WorkerStack} configured from CDK context ({@code cdk.json}, {@code
 * cdk.context.json} or {@code -c key=value}).
 *
 * <p>Context keys, each also readable from a JSON file named by the {@code config} key ({@code -c
 * config=prod.json}; a key given directly wins): {@code stackName} (default {@value
 * #DEFAULT_STACK_NAME}), {@code vpcId}, {@code clusterName}, {@code maxAzs}, {@code natGateways},
 * and {@code workers}: a list (or a JSON string of a list) of objects whose keys are the {@link
 * WorkerServiceProps.Builder} option names, plus {@code image} or {@code ecrRepository} with {@code
 * imageTag}. A worker's {@code queues} key, a list of objects with a {@code name} and the {@link
 * WorkerQueue.Builder} option names, makes its service consume several queues, one worker each
 * ({@link WorkerServiceProps.Builder#queue(WorkerQueue)}). Durations are ISO-8601 ({@code PT30S}).
 * Every problem in the context is reported at once.
 *
 * <p>Run by the CDK CLI ({@code cdk synth}, {@code cdk deploy}), which sets the output directory
 * and the target account and region; run directly, an optional first argument names the output
 * directory.
 */
public final class InfraApp {

  /** Stack name when the context sets none. */
  public static final String DEFAULT_STACK_NAME = "sqs-worker";

  private InfraApp() {}

  /** Synthesizes the app. */
  public static void main(String[] args) {
    var appProps = AppProps.builder();
    if (args.length > 0) {
      appProps.outdir(args[0]);
    }
    var app = new App(appProps.build());
    build(app);
    app.synth();
  }

  /** Adds the configured {@link WorkerStack} to {@code app} and returns it. */
  public static WorkerStack build(App app) {
    var config = ContextConfig.read(ContextConfig.withConfigFile(app.getNode()::tryGetContext));
    var stackName = config.stackName().orElse(DEFAULT_STACK_NAME);
    var env = Environment.builder();
    // Set by the CDK CLI from the caller's credentials; a VPC lookup needs both.
    var account = System.getenv("CDK_DEFAULT_ACCOUNT");
    var region = System.getenv("CDK_DEFAULT_REGION");
    if (account != null && region != null) {
      env.account(account).region(region);
    }
    var stackProps =
        StackProps.builder()
            .stackName(stackName)
            .description("sqs-worker: queue workers on ECS Fargate")
            .env(account != null && region != null ? env.build() : null)
            .build();
    return new WorkerStack(app, stackName, config.stackProps(stackProps));
  }
}
