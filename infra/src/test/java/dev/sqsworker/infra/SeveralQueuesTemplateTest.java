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
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterProps;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.ICluster;

/**
 * One service consuming two queues ({@code orders}, {@code refunds-eu}): the deployment guide's
 * example, synthesized as written, and the same service scaled to zero with a dashboard.
 */
class SeveralQueuesTemplateTest {

  static final String PREFIX = "Shop";

  static WorkerService shop;
  static Template template;
  static Template idle;

  @BeforeAll
  static void synthesize() {
    var app = new App(AppProps.builder().context(CdkContext.flags()).build());
    var stack = new Stack(app, "Payments");
    shop = DeployGuideExamples.severalQueues(stack, cluster(stack), TestWorkers.SECRET_ARN);
    // Both stacks exist before the first synthesis: the app's tree is sealed by it.
    var idleStack = new Stack(app, "Idle");
    new WorkerService(
        idleStack,
        "Shop",
        cluster(idleStack),
        shop.props().toBuilder().minTasks(0).dashboard(true).build());
    template = Template.fromStack(stack);
    idle = Template.fromStack(idleStack);
  }

  static ICluster cluster(Stack stack) {
    var vpc =
        Vpc.fromVpcAttributes(
            stack,
            "Vpc",
            VpcAttributes.builder()
                .vpcId("vpc-0123456789abcdef0")
                .availabilityZones(List.of("eu-west-1a", "eu-west-1b"))
                .privateSubnetIds(List.of("subnet-0aaa0aaa0aaa0aaa0", "subnet-0bbb0bbb0bbb0bbb0"))
                .build());
    return new Cluster(
        stack,
        "Cluster",
        ClusterProps.builder().vpc(vpc).containerInsightsV2(ContainerInsights.ENABLED).build());
  }

  /** Logical-id prefix of a queue's resources: {@code refunds-eu} → {@code ShopRefundsEu}. */
  static String prefix(String queue) {
    return PREFIX + (queue.equals("orders") ? "Orders" : "RefundsEu");
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
  void twoSourceQueuesAndTwoDeadLetterQueuesAndNothingElse() {
    template.resourceCountIs("AWS::SQS::Queue", 4);
    assertThat(properties(template, "AWS::SQS::Queue").values())
        .extracting(q -> q.get("QueueName"))
        .containsExactlyInAnyOrder(
            "Payments-shop-orders",
            "Payments-shop-orders-dlq",
            "Payments-shop-refunds-eu",
            "Payments-shop-refunds-eu-dlq");
    template.resourceCountIs("AWS::ECS::Service", 1);
    template.resourceCountIs("AWS::ECS::TaskDefinition", 1);
    template.resourceCountIs("AWS::S3::Bucket", 1);
  }

  @ParameterizedTest
  @CsvSource({"orders, 11, 30", "refunds-eu, 7, 120"})
  void eachQueueRedrivesToItsOwnDeadLetterQueueAfterItsOwnAttempts(
      String queue, int maxReceiveCount, int visibilitySeconds) {
    var source = one(template, "AWS::SQS::Queue", prefix(queue) + "Queue");
    assertThat(source).containsEntry("VisibilityTimeout", visibilitySeconds);
    Map<String, Object> redrive = get(source, "RedrivePolicy");
    assertThat(redrive)
        .containsEntry("maxReceiveCount", maxReceiveCount)
        .containsEntry("deadLetterTargetArn", getAtt(deadLetterId(queue), "Arn"));

    var deadLetter = one(template, "AWS::SQS::Queue", prefix(queue) + "DeadLetterQueue");
    assertThat(deadLetter).containsEntry("MessageRetentionPeriod", 1_209_600);
    Map<String, Object> allow = get(deadLetter, "RedriveAllowPolicy");
    assertThat(allow.get("redrivePermission")).isEqualTo("byQueue");
    var sources = asList(allow.get("sourceQueueArns"));
    assertThat(sources).hasSize(1);
    List<Object> join = get(Map.of("arn", sources.get(0)), "arn", "Fn::Join");
    assertThat(asList(join.get(1))).last().isEqualTo(":" + source.get("QueueName"));
  }

  @ParameterizedTest
  @CsvSource({"orders, 900", "refunds-eu, 1800"})
  void eachQueueHasItsOwnBacklogAgeAndDeadLetterAlarms(String queue, int ageThreshold) {
    var age = one(template, "AWS::CloudWatch::Alarm", prefix(queue) + "OldestMessageAgeAlarm");
    assertThat(age)
        .containsEntry("MetricName", "ApproximateAgeOfOldestMessage")
        .containsEntry("Threshold", ageThreshold)
        .containsEntry(
            "Dimensions",
            List.of(Map.of("Name", "QueueName", "Value", getAtt(queueId(queue), "QueueName"))));
    assertThat((String) age.get("AlarmDescription")).startsWith("sqs-worker shop/" + queue + ":");

    var anyDeadLetter = one(template, "AWS::CloudWatch::Alarm", prefix(queue) + "DeadLetterAlarm");
    assertThat(anyDeadLetter)
        .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
        .containsEntry("Threshold", 1)
        .containsEntry(
            "Dimensions",
            List.of(
                Map.of("Name", "QueueName", "Value", getAtt(deadLetterId(queue), "QueueName"))));

    var growth = one(template, "AWS::CloudWatch::Alarm", prefix(queue) + "DeadLetterGrowthAlarm");
    List<Map<String, Object>> metrics = get(growth, "Metrics");
    assertThat(metrics).anySatisfy(m -> assertThat(m).containsEntry("Expression", "DIFF(visible)"));
    assertThat(metrics)
        .filteredOn(m -> m.containsKey("MetricStat"))
        .singleElement()
        .satisfies(
            m ->
                assertThat(Templates.<List<Object>>get(m, "MetricStat", "Metric", "Dimensions"))
                    .containsExactly(
                        Map.of(
                            "Name",
                            "QueueName",
                            "Value",
                            getAtt(deadLetterId(queue), "QueueName"))));
    template.resourceCountIs("AWS::CloudWatch::Alarm", 6);
  }

  @Test
  void taskRoleConsumesAndDeadLettersEachQueueByItsOwnArnOnly() {
    var roleId = idOf(template, "AWS::IAM::Role", PREFIX + "TaskRole");
    var policies =
        properties(template, "AWS::IAM::Policy").values().stream()
            .filter(p -> asList(p.get("Roles")).contains(Map.of("Ref", roleId)))
            .toList();
    assertThat(policies).hasSize(1);
    var statements = statements(get(policies.get(0), "PolicyDocument"));
    assertThat(statements)
        .extracting(s -> s.get("Sid"))
        .containsExactly(
            "ConsumeSourceQueueOrders",
            "SendToDeadLetterQueueOrders",
            "ConsumeSourceQueueRefundsEu",
            "SendToDeadLetterQueueRefundsEu",
            "ReadWriteArtifacts",
            "ProtectOwnTasksFromScaleIn");
    for (var queue : List.of("orders", "refunds-eu")) {
      var sid = queue.equals("orders") ? "Orders" : "RefundsEu";
      var consume = statement(statements, "ConsumeSourceQueue" + sid);
      assertThat(consume).containsEntry("Resource", getAtt(queueId(queue), "Arn"));
      assertThat(asList(consume.get("Action")))
          .containsExactlyInAnyOrderElementsOf(
              dev.sqsworker.infra.internal.TaskRolePolicy.QUEUE_ACTIONS);
      assertThat(statement(statements, "SendToDeadLetterQueue" + sid))
          .containsEntry("Resource", getAtt(deadLetterId(queue), "Arn"))
          .containsEntry("Action", "sqs:SendMessage");
    }
    // As in the single-queue form: the only "*" resource is the execution role's ECR token.
    assertThat(Templates.allowStatements(template))
        .filteredOn(e -> Templates.hasWildcardResource(e.getValue()))
        .singleElement()
        .satisfies(
            e -> assertThat(e.getValue().get("Action")).isEqualTo("ecr:GetAuthorizationToken"));
  }

  static Map<String, Object> statement(List<Map<String, Object>> statements, String sid) {
    return statements.stream()
        .filter(s -> sid.equals(s.get("Sid")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no statement " + sid));
  }

  @Test
  void containerNamesBothWorkersAndGivesEachItsOwnVariables() {
    var taskDefinition = one(template, "AWS::ECS::TaskDefinition", PREFIX + "TaskDefinition");
    var env = environment(container(taskDefinition));
    assertThat(env.keySet())
        .containsExactly(
            "SQSWORKER_WORKERS",
            "SQSWORKER_ORDERS_QUEUE_URL",
            "SQSWORKER_ORDERS_DLQ_URL",
            "SQSWORKER_ORDERS_HANDLER_CLASS",
            "SQSWORKER_ORDERS_CONCURRENCY",
            "SQSWORKER_ORDERS_VISIBILITY_TIMEOUT",
            "SQSWORKER_ORDERS_MAX_ATTEMPTS",
            "SQSWORKER_REFUNDS_EU_QUEUE_URL",
            "SQSWORKER_REFUNDS_EU_DLQ_URL",
            "SQSWORKER_REFUNDS_EU_HANDLER_CLASS",
            "SQSWORKER_REFUNDS_EU_CONCURRENCY",
            "SQSWORKER_REFUNDS_EU_VISIBILITY_TIMEOUT",
            "SQSWORKER_REFUNDS_EU_MAX_ATTEMPTS",
            "SQSWORKER_SHUTDOWN_GRACE",
            "SQSWORKER_JDBC_URL",
            "SQSWORKER_JDBC_USER",
            "SQSWORKER_HTTP_PORT",
            "SQSWORKER_ARTIFACT_BUCKET",
            "SQSWORKER_ARTIFACT_PREFIX",
            "AWS_REGION");
    assertThat(env)
        .containsEntry("SQSWORKER_WORKERS", "orders,refunds-eu")
        .containsEntry("SQSWORKER_ORDERS_QUEUE_URL", Map.of("Ref", queueId("orders")))
        .containsEntry("SQSWORKER_ORDERS_DLQ_URL", Map.of("Ref", deadLetterId("orders")))
        .containsEntry("SQSWORKER_ORDERS_HANDLER_CLASS", "com.acme.shop.OrderHandler")
        .containsEntry("SQSWORKER_ORDERS_CONCURRENCY", "20")
        .containsEntry("SQSWORKER_ORDERS_VISIBILITY_TIMEOUT", "PT30S")
        .containsEntry("SQSWORKER_ORDERS_MAX_ATTEMPTS", "5")
        .containsEntry("SQSWORKER_REFUNDS_EU_QUEUE_URL", Map.of("Ref", queueId("refunds-eu")))
        .containsEntry("SQSWORKER_REFUNDS_EU_DLQ_URL", Map.of("Ref", deadLetterId("refunds-eu")))
        .containsEntry("SQSWORKER_REFUNDS_EU_HANDLER_CLASS", "com.acme.shop.RefundHandler")
        .containsEntry("SQSWORKER_REFUNDS_EU_CONCURRENCY", "10")
        .containsEntry("SQSWORKER_REFUNDS_EU_VISIBILITY_TIMEOUT", "PT2M")
        .containsEntry("SQSWORKER_REFUNDS_EU_MAX_ATTEMPTS", "3");
    List<Map<String, Object>> secrets = get(container(taskDefinition), "Secrets");
    assertThat(secrets).extracting(s -> s.get("Name")).containsExactly("SQSWORKER_JDBC_PASSWORD");
  }

  @Test
  void scalingTracksTheVisibleMessagesOfBothQueuesPerRunningTask() {
    var policy =
        one(template, "AWS::ApplicationAutoScaling::ScalingPolicy", PREFIX + "BacklogPerTask");
    Map<String, Object> config = get(policy, "TargetTrackingScalingPolicyConfiguration");
    assertThat(config).containsEntry("TargetValue", 200);
    List<Map<String, Object>> metrics = get(config, "CustomizedMetricSpecification", "Metrics");
    assertThat(metrics)
        .extracting(m -> m.get("Id"))
        .containsExactly("visible_orders", "visible_refunds_eu", "running", "backlogPerTask");
    for (var queue : List.of("orders", "refunds-eu")) {
      var visible = metrics.get(queue.equals("orders") ? 0 : 1);
      assertThat(visible).containsEntry("ReturnData", false);
      assertThat(Templates.<Map<String, Object>>get(visible, "MetricStat"))
          .containsEntry("Stat", "Sum")
          .containsEntry(
              "Metric",
              Map.of(
                  "Namespace", "AWS/SQS",
                  "MetricName", "ApproximateNumberOfMessagesVisible",
                  "Dimensions",
                      List.of(
                          Map.of(
                              "Name", "QueueName", "Value", getAtt(queueId(queue), "QueueName")))));
    }
    assertThat(Templates.<String>get(metrics.get(2), "MetricStat", "Metric", "MetricName"))
        .isEqualTo("RunningTaskCount");
    assertThat(metrics.get(3))
        .containsEntry("Expression", "(visible_orders + visible_refunds_eu) / running")
        .containsEntry("ReturnData", true);
    template.resourceCountIs("AWS::ApplicationAutoScaling::ScalingPolicy", 1);
  }

  @Test
  void scaledToZeroItStartsATaskWhenEitherQueueHasAMessage() {
    var alarm = one(idle, "AWS::CloudWatch::Alarm", PREFIX + "ScaleFromZeroAlarm");
    assertThat(alarm).containsEntry("Threshold", 1);
    List<Map<String, Object>> metrics = get(alarm, "Metrics");
    assertThat(metrics)
        .anySatisfy(
            m -> assertThat(m).containsEntry("Expression", "visible_orders + visible_refunds_eu"));
    assertThat(metrics)
        .filteredOn(m -> m.containsKey("MetricStat"))
        .extracting(m -> m.get("Id"))
        .containsExactlyInAnyOrder("visible_orders", "visible_refunds_eu");
    assertThat(metrics)
        .filteredOn(m -> m.containsKey("MetricStat"))
        .allSatisfy(
            m ->
                assertThat(Templates.<Map<String, Object>>get(m, "MetricStat"))
                    .containsEntry("Stat", "Maximum")
                    .containsEntry("Period", 60));
    var body = String.valueOf(one(idle, "AWS::CloudWatch::Dashboard", "").get("DashboardBody"));
    assertThat(body).contains("orders: visible", "refunds-eu: visible", "refunds-eu: dead letters");
  }

  @Test
  void eachQueueHasItsOutputsAndTheServiceHandsOutEachQueuesResources() {
    assertThat(template.findOutputs("*").keySet())
        .anyMatch(id -> id.startsWith("ShopOrdersQueueUrl"))
        .anyMatch(id -> id.startsWith("ShopRefundsEuDeadLetterQueueUrl"));
    assertThat(shop.queues())
        .extracting(q -> q.name().orElseThrow())
        .containsExactly("orders", "refunds-eu");
    assertThat(shop.queues()).allSatisfy(q -> assertThat(q.oldestMessageAlarm()).isNotNull());
    assertThatThrownBy(shop::queue)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'shop' consumes several queues; use queues()");
  }
}
