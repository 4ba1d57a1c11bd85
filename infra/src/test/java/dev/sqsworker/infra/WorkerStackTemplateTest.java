package dev.sqsworker.infra;

import static dev.sqsworker.infra.Templates.asList;
import static dev.sqsworker.infra.Templates.container;
import static dev.sqsworker.infra.Templates.environment;
import static dev.sqsworker.infra.Templates.get;
import static dev.sqsworker.infra.Templates.one;
import static dev.sqsworker.infra.Templates.statements;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Queues, bucket, task definition and service of the {@link ShopStack} template. */
class WorkerStackTemplateTest {

  static final WorkerServiceProps ORDERS = ShopStack.ORDERS;
  static final WorkerServiceProps INVOICES = ShopStack.INVOICES;

  static Template template;

  @BeforeAll
  static void synthesize() {
    template = ShopStack.template();
  }

  static String prefix(String worker) {
    return ShopStack.prefix(worker);
  }

  static WorkerServiceProps props(String worker) {
    return ShopStack.props(worker);
  }

  static Map<String, Object> queue(String worker) {
    return one(template, "AWS::SQS::Queue", prefix(worker) + "Queue");
  }

  static Map<String, Object> deadLetterQueue(String worker) {
    return one(template, "AWS::SQS::Queue", prefix(worker) + "DeadLetterQueue");
  }

  static Map<String, Object> workerContainer(String worker) {
    return container(one(template, "AWS::ECS::TaskDefinition", prefix(worker) + "TaskDefinition"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void redrivePolicyReceivesMoreOftenThanTheWorkerAttempts(String worker) {
    var redrive = Templates.<Map<String, Object>>get(queue(worker), "RedrivePolicy");
    var maxReceiveCount = ((Number) redrive.get("maxReceiveCount")).intValue();

    assertThat(maxReceiveCount)
        .isGreaterThan(props(worker).maxAttempts())
        .isEqualTo(props(worker).maxAttempts() + props(worker).redriveMargin());
    assertThat(redrive.get("deadLetterTargetArn"))
        .isEqualTo(
            Map.of(
                "Fn::GetAtt",
                List.of(
                    Templates.idOf(template, "AWS::SQS::Queue", prefix(worker) + "DeadLetterQueue"),
                    "Arn")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void deadLetterQueueAcceptsOnlyItsSourceQueue(String worker) {
    var allow = Templates.<Map<String, Object>>get(deadLetterQueue(worker), "RedriveAllowPolicy");
    assertThat(allow.get("redrivePermission")).isEqualTo("byQueue");
    var sources = asList(allow.get("sourceQueueArns"));
    assertThat(sources).hasSize(1);
    // arn:${Partition}:sqs:${Region}:${AccountId}:<name>, joined; the name is the last part.
    List<Object> parts = get(Map.of("arn", sources.get(0)), "arn", "Fn::Join");
    var joined = asList(parts.get(1));
    assertThat(joined.get(joined.size() - 1)).isEqualTo(":" + queue(worker).get("QueueName"));
    assertThat(joined.get(0)).isEqualTo("arn:");
    assertThat(joined).contains(":sqs:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void deadLetterQueueKeepsMessagesFourteenDays(String worker) {
    assertThat(deadLetterQueue(worker).get("MessageRetentionPeriod")).isEqualTo(1209600);
  }

  @Test
  void queuesUseTheWorkersVisibilityTimeoutSseAndLongPolling() {
    assertThat(queue("orders"))
        .containsEntry("VisibilityTimeout", 30)
        .containsEntry("MessageRetentionPeriod", 345600)
        .containsEntry("ReceiveMessageWaitTimeSeconds", 20)
        .containsEntry("SqsManagedSseEnabled", true)
        .containsEntry("QueueName", "Shop-orders")
        .doesNotContainKey("FifoQueue");
    assertThat(queue("invoices")).containsEntry("VisibilityTimeout", 120);
    assertThat(deadLetterQueue("orders")).containsEntry("QueueName", "Shop-orders-dlq");
  }

  @Test
  void fifoWorkerHasFifoQueueAndFifoDeadLetterQueue() {
    assertThat(queue("invoices"))
        .containsEntry("FifoQueue", true)
        .containsEntry("QueueName", "Shop-invoices.fifo");
    assertThat(deadLetterQueue("invoices"))
        .containsEntry("FifoQueue", true)
        .containsEntry("QueueName", "Shop-invoices-dlq.fifo");
  }

  @Test
  void queuePoliciesDenyRequestsWithoutTls() {
    template.resourcePropertiesCountIs(
        "AWS::SQS::QueuePolicy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Map.of(
                    "Statement",
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Effect",
                                "Deny",
                                "Action",
                                "sqs:*",
                                "Condition",
                                Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))),
        4);
  }

  @Test
  void artifactBucketIsVersionedPrivateAndEncrypted() {
    var orders = one(template, "AWS::S3::Bucket", "OrdersWorkerArtifactBucket");
    assertThat(Templates.<Object>get(orders, "VersioningConfiguration", "Status"))
        .isEqualTo("Enabled");
    assertThat(Templates.<Map<String, Object>>get(orders, "PublicAccessBlockConfiguration"))
        .isEqualTo(
            Map.of(
                "BlockPublicAcls", true,
                "BlockPublicPolicy", true,
                "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true));
    assertThat(sseAlgorithm(orders)).isEqualTo("AES256");
    assertThat(sseAlgorithm(one(template, "AWS::S3::Bucket", "InvoicesWorkerArtifactBucket")))
        .isEqualTo("aws:kms");
  }

  @SuppressWarnings("unchecked")
  private static Object sseAlgorithm(Map<String, Object> bucket) {
    List<Map<String, Object>> rules =
        get(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration");
    return ((Map<String, Object>) rules.get(0).get("ServerSideEncryptionByDefault"))
        .get("SSEAlgorithm");
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  @SuppressWarnings("unchecked")
  void artifactLifecycleTiersExpiresAndAbortsUploads(String worker) {
    var bucket = one(template, "AWS::S3::Bucket", prefix(worker) + "ArtifactBucket");
    List<Map<String, Object>> rules = get(bucket, "LifecycleConfiguration", "Rules");
    var tiers = rules.stream().filter(r -> "artifact-tiers".equals(r.get("Id"))).findFirst();
    assertThat(tiers).isPresent();
    var rule = tiers.get();
    assertThat(rule)
        .containsEntry("Status", "Enabled")
        .containsEntry("ExpirationInDays", 365)
        .containsEntry("AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 7))
        .containsEntry(
            "NoncurrentVersionExpiration",
            Map.of("NoncurrentDays", props(worker).noncurrentVersionExpirationDays()));
    assertThat((List<Map<String, Object>>) rule.get("Transitions"))
        .containsExactly(
            Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 30),
            Map.of("StorageClass", "GLACIER", "TransitionInDays", 90));
    assertThat(rules)
        .anySatisfy(
            r ->
                assertThat(r)
                    .containsEntry("ExpiredObjectDeleteMarker", true)
                    .containsEntry("Status", "Enabled"));
  }

  @Test
  void bucketPolicyDeniesEveryRequestWithoutTls() {
    var policy = one(template, "AWS::S3::BucketPolicy", "OrdersWorkerArtifactBucketPolicy");
    var statements = statements(get(policy, "PolicyDocument"));
    assertThat(statements)
        .anySatisfy(
            s -> {
              assertThat(s)
                  .containsEntry("Effect", "Deny")
                  .containsEntry("Action", "s3:*")
                  .containsEntry(
                      "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")));
              assertThat(asList(s.get("Resource"))).hasSize(2);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void stopTimeoutIsShutdownGracePlusMargin(String worker) {
    var p = props(worker);
    var expected = p.shutdownGrace().plus(p.stopTimeoutMargin()).toSeconds();
    assertThat(workerContainer(worker).get("StopTimeout")).isEqualTo((int) expected);
    assertThat(expected).isLessThanOrEqualTo(120);
    assertThat(environment(workerContainer(worker)))
        .containsEntry("SQSWORKER_SHUTDOWN_GRACE", p.shutdownGrace().toString());
  }

  @Test
  void stopTimeoutOfDefaultsIsThirtySeconds() {
    assertThat(workerContainer("orders").get("StopTimeout")).isEqualTo(30);
    assertThat(workerContainer("invoices").get("StopTimeout")).isEqualTo(120);
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void healthCheckProbesLiveEndpointOnTheWorkersPort(String worker) {
    Map<String, Object> check = get(workerContainer(worker), "HealthCheck");
    var url = "http://localhost:" + props(worker).httpPort() + "/health/live";
    assertThat(asList(check.get("Command")))
        .containsExactly(
            "CMD-SHELL",
            "curl -fsS -o /dev/null " + url + " || wget -q -O /dev/null " + url + " || exit 1");
    assertThat(check)
        .containsEntry("Interval", 30)
        .containsEntry("Timeout", 5)
        .containsEntry("Retries", 3)
        .containsEntry("StartPeriod", 60);
  }

  @Test
  void databasePasswordIsAContainerSecretFromSecretsManager() {
    assertThat(asList(workerContainer("orders").get("Secrets")))
        .containsExactly(
            Map.of("Name", "SQSWORKER_JDBC_PASSWORD", "ValueFrom", TestWorkers.SECRET_ARN));
    assertThat(asList(workerContainer("invoices").get("Secrets")))
        .containsExactly(
            Map.of(
                "Name",
                "SQSWORKER_JDBC_PASSWORD",
                "ValueFrom",
                TestWorkers.SECRET_ARN + ":password::"));
    assertThat(environment(workerContainer("orders"))).doesNotContainKey("SQSWORKER_JDBC_PASSWORD");
  }

  @Test
  void environmentCarriesEveryWorkerSetting() {
    var env = environment(workerContainer("invoices"));
    assertThat(env.keySet()).containsExactlyElementsOf(WorkerEnvironment.PLAIN);
    assertThat(env)
        .containsEntry("SQSWORKER_HANDLER_CLASS", "com.acme.invoices.Handler")
        .containsEntry("SQSWORKER_CONCURRENCY", "4")
        .containsEntry("SQSWORKER_VISIBILITY_TIMEOUT", "PT2M")
        .containsEntry("SQSWORKER_MAX_ATTEMPTS", "3")
        .containsEntry("SQSWORKER_SHUTDOWN_GRACE", "PT1M30S")
        .containsEntry("SQSWORKER_JDBC_URL", "jdbc:postgresql://db.internal:5432/invoices")
        .containsEntry("SQSWORKER_JDBC_USER", "invoices")
        .containsEntry("SQSWORKER_HTTP_PORT", "9090")
        .containsEntry("SQSWORKER_ARTIFACT_PREFIX", "invoices/pdf/")
        .containsEntry("AWS_REGION", Map.of("Ref", "AWS::Region"))
        .containsEntry(
            "SQSWORKER_QUEUE_URL",
            Map.of("Ref", Templates.idOf(template, "AWS::SQS::Queue", "InvoicesWorkerQueue")))
        .containsEntry(
            "SQSWORKER_DLQ_URL",
            Map.of(
                "Ref",
                Templates.idOf(template, "AWS::SQS::Queue", "InvoicesWorkerDeadLetterQueue")))
        .containsEntry(
            "SQSWORKER_ARTIFACT_BUCKET",
            Map.of(
                "Ref",
                Templates.idOf(template, "AWS::S3::Bucket", "InvoicesWorkerArtifactBucket")));
    assertThat(environment(workerContainer("orders")))
        .containsEntry("SQSWORKER_VISIBILITY_TIMEOUT", "PT30S")
        .containsEntry("SQSWORKER_SHUTDOWN_GRACE", "PT25S")
        .containsEntry("SQSWORKER_MAX_ATTEMPTS", "5");
  }

  @Test
  void containerLogsToItsOwnLogGroupWithRetention() {
    var logGroupId = Templates.idOf(template, "AWS::Logs::LogGroup", "OrdersWorkerLogs");
    assertThat(one(template, "AWS::Logs::LogGroup", "OrdersWorkerLogs"))
        .containsEntry("RetentionInDays", 30);
    Map<String, Object> logging = get(workerContainer("orders"), "LogConfiguration");
    assertThat(logging).containsEntry("LogDriver", "awslogs");
    assertThat(Templates.<Map<String, Object>>get(logging, "Options"))
        .containsEntry("awslogs-group", Map.of("Ref", logGroupId))
        .containsEntry("awslogs-stream-prefix", "orders");
  }

  @Test
  void imageComesFromTheNamedRegistryOrTheAccountsEcrRepository() {
    assertThat(workerContainer("orders").get("Image")).isEqualTo("ghcr.io/acme/orders:1.0.0");
    List<Object> join = get(workerContainer("invoices"), "Image", "Fn::Join");
    assertThat(asList(join.get(1))).last().isEqualTo("/acme/invoices:2.0.1");
  }

  @Test
  void serviceRunsOnFargateInPrivateSubnetsAndRollsWithoutGap() {
    var service = one(template, "AWS::ECS::Service", "OrdersWorkerService");
    assertThat(service).containsEntry("LaunchType", "FARGATE").doesNotContainKey("DesiredCount");
    assertThat(
            Templates.<Object>get(
                service, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp"))
        .isEqualTo("DISABLED");
    Map<String, Object> deployment = get(service, "DeploymentConfiguration");
    assertThat(deployment)
        .containsEntry("MinimumHealthyPercent", 100)
        .containsEntry("MaximumPercent", 200)
        .containsEntry("DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true));
    var task = one(template, "AWS::ECS::TaskDefinition", "OrdersWorkerTaskDefinition");
    assertThat(task).containsEntry("Cpu", "512").containsEntry("Memory", "1024");
  }

  @Test
  void taskSizeAndArchitectureFollowTheProps() {
    assertThat(one(template, "AWS::ECS::TaskDefinition", "OrdersWorkerTaskDefinition"))
        .containsEntry(
            "RuntimePlatform",
            Map.of("CpuArchitecture", "X86_64", "OperatingSystemFamily", "LINUX"));
    assertThat(one(template, "AWS::ECS::TaskDefinition", "InvoicesWorkerTaskDefinition"))
        .containsEntry("Cpu", "1024")
        .containsEntry("Memory", "3072")
        .containsEntry(
            "RuntimePlatform",
            Map.of("CpuArchitecture", "ARM64", "OperatingSystemFamily", "LINUX"));
  }

  @Test
  void createdClusterHasContainerInsightsForRunningTaskCount() {
    template.hasResourceProperties(
        "AWS::ECS::Cluster",
        Map.of(
            "ClusterSettings", List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
  }

  @Test
  void deadLetterQueueHasAnAlarmOnVisibleMessages() {
    var alarm = one(template, "AWS::CloudWatch::Alarm", "OrdersWorkerDeadLetterAlarm");
    assertThat(alarm)
        .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
        .containsEntry("Namespace", "AWS/SQS")
        .containsEntry("Threshold", 1)
        .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
        .containsEntry("TreatMissingData", "notBreaching");
  }

  @Test
  void outputsNameTheQueuesBucketServiceAndLogGroup() {
    var outputs = template.findOutputs("*");
    assertThat(outputs.keySet())
        .anyMatch(k -> k.startsWith("OrdersWorkerQueueUrl"))
        .anyMatch(k -> k.startsWith("OrdersWorkerDeadLetterQueueUrl"))
        .anyMatch(k -> k.startsWith("OrdersWorkerArtifactBucketName"))
        .anyMatch(k -> k.startsWith("OrdersWorkerServiceName"))
        .anyMatch(k -> k.startsWith("OrdersWorkerLogGroupName"));
  }
}
