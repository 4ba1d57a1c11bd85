package dev.sqsworker.infra;

import static dev.sqsworker.infra.ShopStack.prefix;
import static dev.sqsworker.infra.ShopStack.props;
import static dev.sqsworker.infra.Templates.asList;
import static dev.sqsworker.infra.Templates.get;
import static dev.sqsworker.infra.Templates.idOf;
import static dev.sqsworker.infra.Templates.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/** Scaling on backlog per task in the {@link ShopStack} template. */
class BacklogScalingTemplateTest {

  static Template template;

  @BeforeAll
  static void synthesize() {
    template = ShopStack.template();
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void scalableTargetIsTheServicesDesiredCountWithinMinAndMax(String worker) {
    var target =
        one(
            template,
            "AWS::ApplicationAutoScaling::ScalableTarget",
            prefix(worker) + "ScalableTarget");
    assertThat(target)
        .containsEntry("ServiceNamespace", "ecs")
        .containsEntry("ScalableDimension", "ecs:service:DesiredCount")
        .containsEntry("MinCapacity", props(worker).minTasks())
        .containsEntry("MaxCapacity", props(worker).maxTasks());
    List<Object> resourceId = get(target, "ResourceId", "Fn::Join");
    assertThat(asList(resourceId.get(1)))
        .containsExactly(
            "service/",
            Map.of("Ref", idOf(template, "AWS::ECS::Cluster", "Cluster")),
            "/",
            Map.of(
                "Fn::GetAtt",
                List.of(idOf(template, "AWS::ECS::Service", prefix(worker) + "Service"), "Name")));
  }

  @Test
  void scalableTargetUsesTheServiceLinkedRoleAndCreatesNoRole() {
    var target =
        one(template, "AWS::ApplicationAutoScaling::ScalableTarget", "OrdersWorkerScalableTarget");
    List<Object> roleArn = get(target, "RoleARN", "Fn::Join");
    assertThat(asList(roleArn.get(1)))
        .last()
        .isEqualTo(
            ":role/aws-service-role/ecs.application-autoscaling.amazonaws.com/"
                + "AWSServiceRoleForApplicationAutoScaling_ECSService");
    assertThat(Templates.properties(template, "AWS::IAM::Role").keySet())
        .noneMatch(id -> id.contains("ScalableTarget"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "invoices"})
  void policyTracksVisibleMessagesPerRunningTaskTowardTheTarget(String worker) {
    var policy =
        one(
            template,
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            prefix(worker) + "BacklogPerTaskScaling");
    assertThat(policy)
        .containsEntry("PolicyType", "TargetTrackingScaling")
        .containsEntry(
            "ScalingTargetId",
            Map.of(
                "Ref",
                idOf(
                    template,
                    "AWS::ApplicationAutoScaling::ScalableTarget",
                    prefix(worker) + "ScalableTarget")));
    Map<String, Object> config = get(policy, "TargetTrackingScalingPolicyConfiguration");
    assertThat(config)
        .containsEntry("TargetValue", props(worker).targetBacklogPerTask())
        .containsEntry("ScaleOutCooldown", (int) props(worker).scaleOutCooldown().toSeconds())
        .containsEntry("ScaleInCooldown", (int) props(worker).scaleInCooldown().toSeconds());

    List<Map<String, Object>> metrics = get(config, "CustomizedMetricSpecification", "Metrics");
    var queueId = idOf(template, "AWS::SQS::Queue", prefix(worker) + "Queue");
    var serviceId = idOf(template, "AWS::ECS::Service", prefix(worker) + "Service");
    var clusterId = idOf(template, "AWS::ECS::Cluster", "Cluster");
    assertThat(metrics)
        .containsExactly(
            Map.of(
                "Id",
                "visible",
                "ReturnData",
                false,
                "MetricStat",
                Map.of(
                    "Stat",
                    "Sum",
                    "Metric",
                    Map.of(
                        "Namespace", "AWS/SQS",
                        "MetricName", "ApproximateNumberOfMessagesVisible",
                        "Dimensions",
                            List.of(
                                Map.of(
                                    "Name",
                                    "QueueName",
                                    "Value",
                                    Map.of("Fn::GetAtt", List.of(queueId, "QueueName"))))))),
            Map.of(
                "Id",
                "running",
                "ReturnData",
                false,
                "MetricStat",
                Map.of(
                    "Stat",
                    "Average",
                    "Metric",
                    Map.of(
                        "Namespace", "ECS/ContainerInsights",
                        "MetricName", "RunningTaskCount",
                        "Dimensions",
                            List.of(
                                Map.of("Name", "ClusterName", "Value", Map.of("Ref", clusterId)),
                                Map.of(
                                    "Name",
                                    "ServiceName",
                                    "Value",
                                    Map.of("Fn::GetAtt", List.of(serviceId, "Name"))))))),
            Map.of(
                "Id", "backlogPerTask",
                "Expression", "visible / running",
                "Label", "Visible messages per running task",
                "ReturnData", true));
  }
}
