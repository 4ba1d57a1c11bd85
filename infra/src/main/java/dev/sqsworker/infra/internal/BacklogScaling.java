package dev.sqsworker.infra.internal;

import dev.sqsworker.infra.WorkerServiceProps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentTier;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTarget;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTargetProps;
import software.amazon.awscdk.services.applicationautoscaling.ServiceNamespace;
import software.amazon.awscdk.services.applicationautoscaling.StepScalingAction;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmProps;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.ApplicationScalingAction;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.iam.FromRoleArnOptions;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Target tracking on backlog per task: {@code ApproximateNumberOfMessagesVisible} of the queue
 * (AWS/SQS, Sum) divided by {@code RunningTaskCount} of the service (ECS/ContainerInsights,
 * Average), as CloudWatch metric math in the policy's customized metric specification. No Lambda or
 * custom metric publisher is needed; the cluster must have Container Insights enabled.
 *
 * <p>A service that consumes several queues has one scaling input: the visible messages of all its
 * queues summed, over its running tasks ({@code (visible_orders + visible_refunds) / running}).
 *
 * <p>CDK's target-tracking helper takes a single metric only, so the policy is the CloudFormation
 * resource itself, attached to a regular scalable target.
 */
public final class BacklogScaling {

  /** Id of the metric math expression that the policy tracks. */
  public static final String EXPRESSION_ID = "backlogPerTask";

  /** The metric math expression: visible messages over running tasks. */
  public static final String EXPRESSION = "visible / running";

  /** Path and name of Application Auto Scaling's service-linked role for ECS services. */
  public static final String SERVICE_LINKED_ROLE_PATH =
      "aws-service-role/ecs.application-autoscaling.amazonaws.com/"
          + "AWSServiceRoleForApplicationAutoScaling_ECSService";

  private BacklogScaling() {}

  /**
   * A queue whose backlog the service works off.
   *
   * @param name its worker's name in the several-queues form; empty for the single queue
   */
  public record Source(Optional<String> name, IQueue queue) {

    /** The id of its visible-messages query: {@code visible}, or {@code visible_refunds_eu}. */
    String metricId() {
      return name.map(n -> "visible_" + n.replace('-', '_')).orElse("visible");
    }
  }

  /**
   * The expression over the sources' query ids: {@code visible / running} for one unnamed queue,
   * {@code (visible_orders + visible_refunds) / running} for several.
   */
  public static String expression(List<Source> sources) {
    if (sources.size() == 1 && sources.get(0).name().isEmpty()) {
      return EXPRESSION;
    }
    return "(" + visibleSum(sources) + ") / running";
  }

  private static String visibleSum(List<Source> sources) {
    return String.join(" + ", sources.stream().map(Source::metricId).toList());
  }

  /** Creates the scalable target and the target-tracking policy for {@code service}. */
  public static CfnScalingPolicy attach(
      Construct scope,
      ICluster cluster,
      FargateService service,
      List<Source> sources,
      WorkerServiceProps props) {
    var target =
        new ScalableTarget(
            scope,
            "ScalableTarget",
            ScalableTargetProps.builder()
                .serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension("ecs:service:DesiredCount")
                .resourceId("service/" + cluster.getClusterName() + "/" + service.getServiceName())
                .minCapacity(props.minTasks())
                .maxCapacity(props.maxTasks())
                .role(serviceLinkedRole(scope))
                .build());

    var metrics = new ArrayList<CfnScalingPolicy.TargetTrackingMetricDataQueryProperty>();
    for (var source : sources) {
      metrics.add(
          query(
              source.metricId(),
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "Sum",
              List.of(dimension("QueueName", source.queue().getQueueName()))));
    }
    var running =
        query(
            "running",
            "ECS/ContainerInsights",
            "RunningTaskCount",
            "Average",
            List.of(
                dimension("ClusterName", cluster.getClusterName()),
                dimension("ServiceName", service.getServiceName())));
    var backlogPerTask =
        CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
            .id(EXPRESSION_ID)
            .expression(expression(sources))
            .label(
                sources.size() == 1
                    ? "Visible messages per running task"
                    : "Visible messages of " + sources.size() + " queues per running task")
            .returnData(true)
            .build();

    metrics.add(running);
    metrics.add(backlogPerTask);
    if (props.minTasks() == 0) {
      scaleFromZero(scope, target, sources, props);
    }
    return new CfnScalingPolicy(
        scope,
        "BacklogPerTaskScaling",
        CfnScalingPolicyProps.builder()
            .policyName(props.workerName() + "-backlog-per-task")
            .policyType("TargetTrackingScaling")
            .scalingTargetId(target.getScalableTargetId())
            .targetTrackingScalingPolicyConfiguration(
                CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty.builder()
                    .targetValue(props.targetBacklogPerTask())
                    .scaleOutCooldown(props.scaleOutCooldown().toSeconds())
                    .scaleInCooldown(props.scaleInCooldown().toSeconds())
                    .customizedMetricSpecification(
                        CfnScalingPolicy.CustomizedMetricSpecificationProperty.builder()
                            .metrics(metrics)
                            .build())
                    .build())
            .build());
  }

  /**
   * With no task running, backlog per task has no value (division by zero) and target tracking
   * cannot scale out: a step-scaling policy sets the service to one task as soon as a message is
   * visible. Application Auto Scaling applies the larger capacity when policies disagree, so it
   * never holds target tracking back; scale-in to zero is target tracking's, down to {@code
   * minTasks} 0, and a task with messages in flight keeps its scale-in protection.
   */
  private static void scaleFromZero(
      Construct scope, ScalableTarget target, List<Source> sources, WorkerServiceProps props) {
    var action =
        StepScalingAction.Builder.create(scope, "ScaleFromZero")
            .scalingTarget(target)
            .adjustmentType(AdjustmentType.EXACT_CAPACITY)
            .cooldown(software.amazon.awscdk.Duration.seconds(props.scaleOutCooldown().toSeconds()))
            .build();
    action.addAdjustment(AdjustmentTier.builder().lowerBound(0).adjustment(1).build());
    var perMinuteMaximum =
        MetricOptions.builder()
            .statistic("Maximum")
            .period(software.amazon.awscdk.Duration.minutes(1))
            .build();
    IMetric waiting;
    if (sources.size() == 1 && sources.get(0).name().isEmpty()) {
      waiting = sources.get(0).queue().metricApproximateNumberOfMessagesVisible(perMinuteMaximum);
    } else {
      var using = new LinkedHashMap<String, IMetric>();
      for (var source : sources) {
        using.put(
            source.metricId(),
            source.queue().metricApproximateNumberOfMessagesVisible(perMinuteMaximum));
      }
      waiting =
          MathExpression.Builder.create()
              .expression(visibleSum(sources))
              .usingMetrics(using)
              .label("Visible messages of all queues")
              .period(software.amazon.awscdk.Duration.minutes(1))
              .build();
    }
    var alarm =
        new Alarm(
            scope,
            "ScaleFromZeroAlarm",
            AlarmProps.builder()
                .metric(waiting)
                .alarmDescription(
                    "sqs-worker " + props.workerName() + ": messages waiting; start a task")
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    alarm.addAlarmAction(new ApplicationScalingAction(action));
  }

  /**
   * Application Auto Scaling acts on ECS services through its service-linked role, which it creates
   * on first use. Naming it keeps CDK from creating a role of its own that has no policy and is not
   * used for ECS.
   */
  private static IRole serviceLinkedRole(Construct scope) {
    var arn =
        Arn.format(
            ArnComponents.builder()
                .service("iam")
                .region("")
                .resource("role")
                .resourceName(SERVICE_LINKED_ROLE_PATH)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build(),
            Stack.of(scope));
    return Role.fromRoleArn(
        scope,
        "AutoScalingServiceLinkedRole",
        arn,
        FromRoleArnOptions.builder().mutable(false).build());
  }

  private static CfnScalingPolicy.TargetTrackingMetricDataQueryProperty query(
      String id,
      String namespace,
      String metricName,
      String stat,
      List<CfnScalingPolicy.TargetTrackingMetricDimensionProperty> dimensions) {
    return CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
        .id(id)
        .returnData(false)
        .metricStat(
            CfnScalingPolicy.TargetTrackingMetricStatProperty.builder()
                .stat(stat)
                .metric(
                    CfnScalingPolicy.TargetTrackingMetricProperty.builder()
                        .namespace(namespace)
                        .metricName(metricName)
                        .dimensions(dimensions)
                        .build())
                .build())
        .build();
  }

  private static CfnScalingPolicy.TargetTrackingMetricDimensionProperty dimension(
      String name, String value) {
    return CfnScalingPolicy.TargetTrackingMetricDimensionProperty.builder()
        .name(name)
        .value(value)
        .build();
  }
}
