package dev.sqsworker.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/** The app built from the example context file, as {@code cdk deploy -c config=...} does. */
class InfraAppTest {

  @Test
  void exampleConfigFileBuildsAStackWithItsWorkers() {
    var app =
        new App(
            AppProps.builder()
                .context(CdkContext.withFlags(Map.of("config", "examples/context.json")))
                .build());

    var stack = InfraApp.build(app);

    assertThat(stack.getStackName()).isEqualTo("sqs-worker-example");
    assertThat(stack.workers().keySet()).containsExactly("orders", "invoices");
    var invoices = stack.workers().get("invoices").props();
    assertThat(invoices.fifo()).isTrue();
    assertThat(invoices.image()).isEqualTo(WorkerImage.fromEcr("acme/invoices-worker", "2.3.0"));
    assertThat(invoices.stopTimeout().toSeconds()).isEqualTo(110);
    var template = Template.fromStack(stack);
    template.resourceCountIs("AWS::ECS::Service", 2);
    template.resourceCountIs("AWS::ApplicationAutoScaling::ScalingPolicy", 2);
  }

  @Test
  void contextKeyOverridesTheConfigFile() {
    var app =
        new App(
            AppProps.builder()
                .context(Map.of("config", "examples/context.json", "stackName", "orders-staging"))
                .build());

    assertThat(InfraApp.build(app).getStackName()).isEqualTo("orders-staging");
  }
}
