package dev.sqsworker.infra;

import static dev.sqsworker.infra.ShopStack.prefix;
import static dev.sqsworker.infra.Templates.asList;
import static dev.sqsworker.infra.Templates.get;
import static dev.sqsworker.infra.Templates.idOf;
import static dev.sqsworker.infra.Templates.one;
import static dev.sqsworker.infra.Templates.statements;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/** The task role of each worker in the {@link ShopStack} template, and wildcards anywhere. */
class TaskRoleTemplateTest {

  static Template template;

  @BeforeAll
  static void synthesize() {
    template = ShopStack.template();
  }

  static List<Map<String, Object>> taskRoleStatements(String worker) {
    var roleId = idOf(template, "AWS::IAM::Role", prefix(worker) + "TaskRole");
    var policies =
        Templates.properties(template, "AWS::IAM::Policy").values().stream()
            .filter(p -> asList(p.get("Roles")).contains(Map.of("Ref", roleId)))
            .toList();
    assertThat(policies).as("policies attached to the task role").hasSize(1);
    assertThat(one(template, "AWS::IAM::Role", prefix(worker) + "TaskRole"))
        .doesNotContainKeys("Policies", "ManagedPolicyArns");
    return statements(get(policies.get(0), "PolicyDocument"));
  }

  static Map<String, Object> statement(String worker, String sid) {
    return taskRoleStatements(worker).stream()
        .filter(s -> sid.equals(s.get("Sid")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no statement " + sid));
  }

  static Map<String, Object> getAtt(String type, String prefix, String attribute) {
    return Map.of("Fn::GetAtt", List.of(idOf(template, type, prefix), attribute));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void taskRoleHasExactlyTheWorkersStatements(String worker) {
    assertThat(taskRoleStatements(worker))
        .extracting(s -> s.get("Sid"))
        .containsExactly(
            "ConsumeSourceQueue",
            "SendToDeadLetterQueue",
            "ReadWriteArtifacts",
            "ProtectOwnTasksFromScaleIn");
    assertThat(taskRoleStatements(worker))
        .allSatisfy(s -> assertThat(s.get("Effect")).isEqualTo("Allow"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void taskRoleConsumesOnlyItsOwnQueue(String worker) {
    var consume = statement(worker, "ConsumeSourceQueue");
    assertThat(asList(consume.get("Action")))
        .containsExactlyInAnyOrder(
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:GetQueueAttributes");
    assertThat(consume.get("Resource"))
        .isEqualTo(getAtt("AWS::SQS::Queue", prefix(worker) + "Queue", "Arn"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void taskRoleSendsOnlyToItsOwnDeadLetterQueue(String worker) {
    var send = statement(worker, "SendToDeadLetterQueue");
    assertThat(asList(send.get("Action"))).containsExactly("sqs:SendMessage");
    assertThat(send.get("Resource"))
        .isEqualTo(getAtt("AWS::SQS::Queue", prefix(worker) + "DeadLetterQueue", "Arn"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void taskRoleReadsAndWritesOnlyUnderItsArtifactPrefix(String worker) {
    var artifacts = statement(worker, "ReadWriteArtifacts");
    assertThat(asList(artifacts.get("Action")))
        .containsExactlyInAnyOrder("s3:PutObject", "s3:GetObject", "s3:GetObjectVersion");
    assertThat(artifacts.get("Resource"))
        .isEqualTo(
            Map.of(
                "Fn::Join",
                List.of(
                    "",
                    List.of(
                        getAtt("AWS::S3::Bucket", prefix(worker) + "ArtifactBucket", "Arn"),
                        "/" + ShopStack.props(worker).artifactPrefix() + "*"))));
  }

  @Test
  void taskRoleProtectsOnlyTasksOfItsOwnCluster() {
    var protect = statement("orders", "ProtectOwnTasksFromScaleIn");
    assertThat(asList(protect.get("Action")))
        .containsExactly("ecs:GetTaskProtection", "ecs:UpdateTaskProtection");
    List<Object> join = get(protect, "Resource", "Fn::Join");
    assertThat(asList(join.get(1)))
        .contains(":ecs:", ":task/", Map.of("Ref", idOf(template, "AWS::ECS::Cluster", "Cluster")))
        .last()
        .isEqualTo("/*");
  }

  @Test
  void taskRoleIsAssumedOnlyByEcsTasks() {
    var role = one(template, "AWS::IAM::Role", "OrdersWorkerTaskRole");
    var trust = statements(get(role, "AssumeRolePolicyDocument"));
    assertThat(trust)
        .containsExactly(
            Map.of(
                "Action", "sts:AssumeRole",
                "Effect", "Allow",
                "Principal", Map.of("Service", "ecs-tasks.amazonaws.com")));
  }

  @Test
  void noAllowStatementHasAWildcardResourceExceptEcrAuthorizationForEcrImages() {
    var wildcards =
        Templates.allowStatements(template).stream()
            .filter(e -> Templates.hasWildcardResource(e.getValue()))
            .toList();
    // ecr:GetAuthorizationToken supports no resource-level permission: AWS requires "*". CDK adds
    // it to the execution role (not the task role) of a task whose image is in ECR: invoices.
    assertThat(wildcards)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getKey()).startsWith("InvoicesWorkerTaskDefinitionExecutionRole");
              assertThat(e.getValue().get("Action")).isEqualTo("ecr:GetAuthorizationToken");
            });
  }

  @Test
  void executionRoleReadsOnlyTheWorkersSecretAndWritesOnlyItsLogGroup() {
    var policy =
        one(template, "AWS::IAM::Policy", "OrdersWorkerTaskDefinitionExecutionRoleDefaultPolicy");
    var statements = statements(get(policy, "PolicyDocument"));
    assertThat(statements)
        .anySatisfy(
            s -> {
              assertThat(asList(s.get("Action"))).contains("secretsmanager:GetSecretValue");
              assertThat(s.get("Resource")).isEqualTo(TestWorkers.SECRET_ARN);
            })
        .anySatisfy(
            s -> {
              assertThat(asList(s.get("Action"))).contains("logs:PutLogEvents");
              assertThat(s.get("Resource"))
                  .isEqualTo(getAtt("AWS::Logs::LogGroup", "OrdersWorkerLogs", "Arn"));
            });
  }
}
