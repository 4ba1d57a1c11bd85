package dev.sqsworker.infra;

import static dev.sqsworker.infra.Templates.asList;
import static dev.sqsworker.infra.Templates.container;
import static dev.sqsworker.infra.Templates.get;
import static dev.sqsworker.infra.Templates.one;
import static dev.sqsworker.infra.Templates.statements;
import static dev.sqsworker.infra.TestWorkers.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterAttributes;
import software.amazon.awscdk.services.ecs.ICluster;

/**
 * A {@link WorkerService} in a plain stack on a cluster and VPC that exist already, with task
 * protection off, an explicit queue name and a custom health check.
 */
class WorkerServiceOnExistingClusterTest {

  static final List<String> HEALTH_CHECK = List.of("CMD", "/app/bin/healthcheck", "live");

  static Template template;
  static Stack stack;
  static ICluster cluster;

  @BeforeAll
  static void synthesize() {
    var app = new App(AppProps.builder().context(CdkContext.flags()).build());
    stack = new Stack(app, "Existing");
    var vpc =
        Vpc.fromVpcAttributes(
            stack,
            "Vpc",
            VpcAttributes.builder()
                .vpcId("vpc-0123456789abcdef0")
                .availabilityZones(List.of("eu-west-1a", "eu-west-1b"))
                .privateSubnetIds(List.of("subnet-0aaa0aaa0aaa0aaa0", "subnet-0bbb0bbb0bbb0bbb0"))
                .build());
    cluster =
        Cluster.fromClusterAttributes(
            stack,
            "Cluster",
            ClusterAttributes.builder()
                .clusterName("shared-workers")
                .vpc(vpc)
                .securityGroups(List.of())
                .build());
    new WorkerService(
        stack,
        "Reports",
        cluster,
        aWorker("reports")
            .queueName("reports-prod")
            .taskScaleInProtection(false)
            .healthCheckCommand(HEALTH_CHECK)
            .build());
    // A secret defined in the same app: its ARN is a token until deployment.
    var secret = new software.amazon.awscdk.services.secretsmanager.Secret(stack, "ExportsDb");
    new WorkerService(
        stack,
        "Exports",
        cluster,
        aWorker("exports")
            .queueName("exports-prod")
            .dbPasswordSecretArn(secret.getSecretArn())
            .build());
    template = Template.fromStack(stack);
  }

  @Test
  void secretDefinedInTheSameAppIsReferencedByItsArn() {
    var task = one(template, "AWS::ECS::TaskDefinition", "ExportsTaskDefinition");
    assertThat(asList(container(task).get("Secrets")))
        .containsExactly(
            Map.of(
                "Name",
                "SQSWORKER_JDBC_PASSWORD",
                "ValueFrom",
                Map.of(
                    "Ref", Templates.idOf(template, "AWS::SecretsManager::Secret", "ExportsDb"))));
  }

  @Test
  void runsOnTheGivenClusterAndSubnets() {
    var service = one(template, "AWS::ECS::Service", "ReportsService");
    assertThat(service).containsEntry("Cluster", "shared-workers");
    assertThat(
            asList(
                Templates.<Object>get(
                    service, "NetworkConfiguration", "AwsvpcConfiguration", "Subnets")))
        .containsExactly("subnet-0aaa0aaa0aaa0aaa0", "subnet-0bbb0bbb0bbb0bbb0");
    template.resourceCountIs("AWS::ECS::Cluster", 0);
    template.resourceCountIs("AWS::EC2::VPC", 0);
  }

  @Test
  void withoutTaskProtectionTheTaskRoleHasOnlyQueueDeadLetterAndArtifactStatements() {
    var policy = one(template, "AWS::IAM::Policy", "ReportsTaskPolicy");
    assertThat(statements(get(policy, "PolicyDocument")))
        .extracting(s -> s.get("Sid"))
        .containsExactly("ConsumeSourceQueue", "SendToDeadLetterQueue", "ReadWriteArtifacts");
  }

  @Test
  void imageFromAnyRegistryLeavesNoWildcardResourceAnywhere() {
    assertThat(Templates.allowStatements(template))
        .isNotEmpty()
        .noneMatch(e -> Templates.hasWildcardResource(e.getValue()));
  }

  @Test
  void explicitQueueNameNamesBothQueues() {
    assertThat(one(template, "AWS::SQS::Queue", "ReportsQueue"))
        .containsEntry("QueueName", "reports-prod");
    assertThat(one(template, "AWS::SQS::Queue", "ReportsDeadLetterQueue"))
        .containsEntry("QueueName", "reports-prod-dlq");
  }

  @Test
  void customHealthCheckReplacesTheDefault() {
    var task = one(template, "AWS::ECS::TaskDefinition", "ReportsTaskDefinition");
    assertThat(asList(Templates.<Object>get(container(task), "HealthCheck", "Command")))
        .containsExactlyElementsOf(HEALTH_CHECK);
  }

  @Test
  void scalingReadsTheExistingClustersMetrics() {
    var policy = one(template, "AWS::ApplicationAutoScaling::ScalingPolicy", "ReportsBacklog");
    List<Map<String, Object>> metrics =
        get(
            policy,
            "TargetTrackingScalingPolicyConfiguration",
            "CustomizedMetricSpecification",
            "Metrics");
    List<Map<String, Object>> dimensions =
        get(metrics.get(1), "MetricStat", "Metric", "Dimensions");
    assertThat(dimensions.get(0)).containsEntry("Value", "shared-workers");
  }

  @Test
  void derivedQueueNameTooLongAsksForAnExplicitOne() {
    var longStack = new Stack(new App(), "A".repeat(70));
    var props = aWorker("reports").build();
    assertThatThrownBy(() -> new WorkerService(longStack, "Reports", cluster, props))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("set queueName explicitly");
  }
}
