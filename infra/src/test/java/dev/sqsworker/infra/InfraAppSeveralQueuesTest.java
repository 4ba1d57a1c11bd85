package dev.sqsworker.infra;

import static dev.sqsworker.infra.Templates.asList;
import static dev.sqsworker.infra.Templates.container;
import static dev.sqsworker.infra.Templates.environment;
import static dev.sqsworker.infra.Templates.get;
import static dev.sqsworker.infra.Templates.idOf;
import static dev.sqsworker.infra.Templates.one;
import static dev.sqsworker.infra.Templates.properties;
import static dev.sqsworker.infra.Templates.statements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The app synthesized from {@code -c workers=...} with a service that consumes two queues, as the
 * CDK CLI passes it (a JSON string): each queue with its DLQ, alarms and IAM, scaling on both.
 */
class InfraAppSeveralQueuesTest {

  static final String WORKERS =
      "[{\"workerName\":\"shop\",\"ecrRepository\":\"acme/shop-worker\",\"imageTag\":\"1.4.0\","
          + "\"handlerClass\":\"com.acme.shop.OrderHandler\","
          + "\"jdbcUrl\":\"jdbc:postgresql://shop-db.internal:5432/shop\","
          + "\"jdbcUser\":\"shop_worker\",\"dbPasswordSecretArn\":\""
          + TestWorkers.SECRET_ARN
          + "\",\"concurrency\":10,\"targetBacklogPerTask\":200,"
          + "\"queues\":["
          + "{\"name\":\"orders\",\"concurrency\":20},"
          + "{\"name\":\"refunds-eu\",\"handlerClass\":\"com.acme.shop.RefundHandler\","
          + "\"maxAttempts\":3,\"visibilityTimeout\":\"PT2M\",\"oldestMessageAlarmAge\":\"PT30M\"}"
          + "]}]";

  static WorkerStack stack;
  static Template template;

  @BeforeAll
  static void synthesize() {
    var app =
        new App(
            AppProps.builder()
                .context(CdkContext.withFlags(Map.of("stackName", "shop-prod", "workers", WORKERS)))
                .build());
    stack = InfraApp.build(app);
    template = Template.fromStack(stack);
  }

  static String prefix(String queue) {
    return "ShopWorker" + (queue.equals("orders") ? "Orders" : "RefundsEu");
  }

  static String queueId(String queue) {
    return idOf(template, "AWS::SQS::Queue", prefix(queue) + "Queue");
  }

  static String deadLetterId(String queue) {
    return idOf(template, "AWS::SQS::Queue", prefix(queue) + "DeadLetterQueue");
  }

  static Map<String, Object> getAtt(String id, String attribute) {
    return Map.of("Fn::GetAtt", List.of(id, attribute));
  }

  @Test
  void oneServiceWithBothQueuesAndTheirDeadLetterQueues() {
    assertThat(stack.workers().get("shop").props().queues())
        .extracting(WorkerQueue::name)
        .containsExactly("orders", "refunds-eu");
    template.resourceCountIs("AWS::ECS::Service", 1);
    template.resourceCountIs("AWS::SQS::Queue", 4);
    assertThat(properties(template, "AWS::SQS::Queue").values())
        .extracting(q -> q.get("QueueName"))
        .containsExactlyInAnyOrder(
            "shop-prod-shop-orders",
            "shop-prod-shop-orders-dlq",
            "shop-prod-shop-refunds-eu",
            "shop-prod-shop-refunds-eu-dlq");
  }

  @ParameterizedTest
  @CsvSource({"orders, 11, 30, 900", "refunds-eu, 7, 120, 1800"})
  void eachQueueRedrivesToItsOwnDeadLetterQueue_andHasItsOwnAlarms(
      String queue, int maxReceiveCount, int visibilitySeconds, int ageThreshold) {
    var source = one(template, "AWS::SQS::Queue", prefix(queue) + "Queue");
    assertThat(source).containsEntry("VisibilityTimeout", visibilitySeconds);
    assertThat(Templates.<Map<String, Object>>get(source, "RedrivePolicy"))
        .containsEntry("maxReceiveCount", maxReceiveCount)
        .containsEntry("deadLetterTargetArn", getAtt(deadLetterId(queue), "Arn"));

    var age = one(template, "AWS::CloudWatch::Alarm", prefix(queue) + "OldestMessageAgeAlarm");
    assertThat(age)
        .containsEntry("Threshold", ageThreshold)
        .containsEntry(
            "Dimensions",
            List.of(Map.of("Name", "QueueName", "Value", getAtt(queueId(queue), "QueueName"))));
    var deadLetters = one(template, "AWS::CloudWatch::Alarm", prefix(queue) + "DeadLetterAlarm");
    assertThat(deadLetters)
        .containsEntry(
            "Dimensions",
            List.of(
                Map.of("Name", "QueueName", "Value", getAtt(deadLetterId(queue), "QueueName"))));
    one(template, "AWS::CloudWatch::Alarm", prefix(queue) + "DeadLetterGrowthAlarm");
    template.resourceCountIs("AWS::CloudWatch::Alarm", 6);
  }

  @Test
  void theTaskRoleConsumesAndDeadLettersEachQueueByItsOwnArn() {
    var roleId = idOf(template, "AWS::IAM::Role", "ShopWorkerTaskRole");
    var policy =
        properties(template, "AWS::IAM::Policy").values().stream()
            .filter(p -> asList(p.get("Roles")).contains(Map.of("Ref", roleId)))
            .findFirst()
            .orElseThrow();
    var statements = statements(get(policy, "PolicyDocument"));
    assertThat(statements)
        .extracting(s -> s.get("Sid"))
        .contains(
            "ConsumeSourceQueueOrders",
            "SendToDeadLetterQueueOrders",
            "ConsumeSourceQueueRefundsEu",
            "SendToDeadLetterQueueRefundsEu");
    for (var queue : List.of("orders", "refunds-eu")) {
      var sid = queue.equals("orders") ? "Orders" : "RefundsEu";
      assertThat(SeveralQueuesTemplateTest.statement(statements, "ConsumeSourceQueue" + sid))
          .containsEntry("Resource", getAtt(queueId(queue), "Arn"));
      assertThat(SeveralQueuesTemplateTest.statement(statements, "SendToDeadLetterQueue" + sid))
          .containsEntry("Resource", getAtt(deadLetterId(queue), "Arn"));
    }
  }

  @Test
  void theContainerNamesBothWorkersWithTheirOwnSettings() {
    var env =
        environment(
            container(one(template, "AWS::ECS::TaskDefinition", "ShopWorkerTaskDefinition")));
    assertThat(env)
        .containsEntry("SQSWORKER_WORKERS", "orders,refunds-eu")
        .containsEntry("SQSWORKER_ORDERS_QUEUE_URL", Map.of("Ref", queueId("orders")))
        .containsEntry("SQSWORKER_ORDERS_HANDLER_CLASS", "com.acme.shop.OrderHandler")
        .containsEntry("SQSWORKER_ORDERS_CONCURRENCY", "20")
        .containsEntry("SQSWORKER_REFUNDS_EU_DLQ_URL", Map.of("Ref", deadLetterId("refunds-eu")))
        .containsEntry("SQSWORKER_REFUNDS_EU_HANDLER_CLASS", "com.acme.shop.RefundHandler")
        .containsEntry("SQSWORKER_REFUNDS_EU_CONCURRENCY", "10")
        .containsEntry("SQSWORKER_REFUNDS_EU_MAX_ATTEMPTS", "3")
        .doesNotContainKey("SQSWORKER_QUEUE_URL");
  }

  @Test
  void scalingSumsTheVisibleMessagesOfBothQueuesPerRunningTask() {
    var policy =
        one(template, "AWS::ApplicationAutoScaling::ScalingPolicy", "ShopWorkerBacklogPerTask");
    Map<String, Object> config = get(policy, "TargetTrackingScalingPolicyConfiguration");
    assertThat(config).containsEntry("TargetValue", 200);
    List<Map<String, Object>> metrics = get(config, "CustomizedMetricSpecification", "Metrics");
    assertThat(metrics)
        .extracting(m -> m.get("Id"))
        .containsExactly("visible_orders", "visible_refunds_eu", "running", "backlogPerTask");
    assertThat(metrics.get(3))
        .containsEntry("Expression", "(visible_orders + visible_refunds_eu) / running");
  }

  @Test
  void badQueuesAreReportedNamingTheWorkerTheQueueAndTheKey() {
    var bad =
        "[{\"workerName\":\"shop\",\"image\":\"i:1\",\"handlerClass\":\"a.B\","
            + "\"jdbcUrl\":\"jdbc:postgresql://d/x\",\"jdbcUser\":\"u\","
            + "\"dbPasswordSecretArn\":\""
            + TestWorkers.SECRET_ARN
            + "\",\"queues\":["
            + "{\"name\":\"orders\",\"maxAttempts\":0,\"concurency\":3},"
            + "{\"concurrency\":2},"
            + "{\"name\":\"Refunds\"}]}]";
    var app =
        new App(AppProps.builder().context(CdkContext.withFlags(Map.of("workers", bad))).build());

    assertThatThrownBy(() -> InfraApp.build(app))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workers[0] (shop): queues[0] (orders): unknown keys [concurency]")
        .hasMessageContaining(
            "workers[0] (shop): queues[0] (orders): maxAttempts must be between 1 and 100, was 0")
        .hasMessageContaining("workers[0] (shop): queues[1]: name is required")
        .hasMessageContaining("workers[0] (shop): queues[2] (Refunds): queue name must be");
  }
}
