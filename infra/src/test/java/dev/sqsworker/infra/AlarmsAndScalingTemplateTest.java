package dev.sqsworker.infra;

import static dev.sqsworker.infra.Templates.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The alarms an operator pages on (backlog age, dead letters arriving fast), the optional
 * dashboard, and scaling to zero: on the shared shop stack (defaults) and on a stack whose worker
 * asks for a dashboard, scale-to-zero and its own thresholds.
 */
class AlarmsAndScalingTemplateTest {

  static Template shop;
  static Template idle;

  @BeforeAll
  static void synthesize() {
    shop = ShopStack.template();
    var app = new App(AppProps.builder().context(CdkContext.flags()).build());
    var stack =
        new WorkerStack(
            app,
            "Idle",
            WorkerStackProps.builder()
                .worker(
                    TestWorkers.aWorker("reports")
                        .minTasks(0)
                        .dashboard(true)
                        .oldestMessageAlarmAge(Duration.ofMinutes(30))
                        .deadLetterGrowthThreshold(20)
                        .build())
                .build());
    idle = Template.fromStack(stack);
  }

  @Test
  void theSourceQueueHasAnAlarmOnTheAgeOfItsOldestMessage() {
    var alarm = Templates.one(shop, "AWS::CloudWatch::Alarm", "OrdersWorkerOldestMessageAgeAlarm");
    assertThat(alarm)
        .containsEntry("MetricName", "ApproximateAgeOfOldestMessage")
        .containsEntry("Namespace", "AWS/SQS")
        .containsEntry("Statistic", "Maximum")
        .containsEntry("Period", 60)
        .containsEntry("EvaluationPeriods", 3)
        .containsEntry("Threshold", 900)
        .containsEntry("ComparisonOperator", "GreaterThanThreshold");
    assertThat(Templates.one(idle, "AWS::CloudWatch::Alarm", "ReportsWorkerOldestMessageAgeAlarm"))
        .containsEntry("Threshold", 1800);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDeadLetterQueueHasAnAlarmOnItsGrowthNotOnlyOnOneMessage() {
    var alarm = Templates.one(shop, "AWS::CloudWatch::Alarm", "OrdersWorkerDeadLetterGrowthAlarm");
    assertThat(alarm)
        .containsEntry("Threshold", 5)
        .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
        .containsEntry("TreatMissingData", "notBreaching");
    var metrics = (List<Map<String, Object>>) alarm.get("Metrics");
    assertThat(metrics)
        .anySatisfy(m -> assertThat(m).containsEntry("Expression", "DIFF(visible)"))
        .anySatisfy(
            m -> {
              assertThat(m).containsEntry("Id", "visible");
              Map<String, Object> stat = (Map<String, Object>) m.get("MetricStat");
              assertThat(stat).containsEntry("Stat", "Maximum").containsEntry("Period", 300);
              assertThat(Templates.<String>get(stat, "Metric", "MetricName"))
                  .isEqualTo("ApproximateNumberOfMessagesVisible");
            });
    assertThat(Templates.one(idle, "AWS::CloudWatch::Alarm", "ReportsWorkerDeadLetterGrowthAlarm"))
        .containsEntry("Threshold", 20);
  }

  @Test
  void aDashboardOnlyWhenAskedFor() {
    shop.resourceCountIs("AWS::CloudWatch::Dashboard", 0);
    idle.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    var body =
        String.valueOf(Templates.one(idle, "AWS::CloudWatch::Dashboard", "").get("DashboardBody"));
    assertThat(body)
        .contains("ApproximateAgeOfOldestMessage")
        .contains("ApproximateNumberOfMessagesVisible")
        .contains("RunningTaskCount");
  }

  @Test
  @SuppressWarnings("unchecked")
  void scalingToZeroStartsOneTaskWhenAMessageIsVisible() {
    var target =
        Templates.one(idle, "AWS::ApplicationAutoScaling::ScalableTarget", "ReportsWorker");
    assertThat(target).containsEntry("MinCapacity", 0);
    var step =
        properties(idle, "AWS::ApplicationAutoScaling::ScalingPolicy").values().stream()
            .filter(p -> "StepScaling".equals(p.get("PolicyType")))
            .toList();
    assertThat(step).hasSize(1);
    var config = (Map<String, Object>) step.get(0).get("StepScalingPolicyConfiguration");
    assertThat(config).containsEntry("AdjustmentType", "ExactCapacity");
    assertThat((List<Map<String, Object>>) config.get("StepAdjustments"))
        .singleElement()
        .satisfies(
            a ->
                assertThat(a)
                    .containsEntry("ScalingAdjustment", 1)
                    .containsEntry("MetricIntervalLowerBound", 0));
    var alarm = Templates.one(idle, "AWS::CloudWatch::Alarm", "ReportsWorkerScaleFromZeroAlarm");
    assertThat(alarm)
        .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
        .containsEntry("Threshold", 1);
    assertThat(String.valueOf(alarm.get("AlarmActions"))).contains("ReportsWorkerScaleFromZero");
    // Target tracking on backlog per task stays in charge above zero.
    assertThat(properties(idle, "AWS::ApplicationAutoScaling::ScalingPolicy").values())
        .anySatisfy(p -> assertThat(p).containsEntry("PolicyType", "TargetTrackingScaling"));
    // With minTasks at least 1 there is no step policy.
    assertThat(properties(shop, "AWS::ApplicationAutoScaling::ScalingPolicy").values())
        .noneSatisfy(p -> assertThat(p).containsEntry("PolicyType", "StepScaling"));
  }
}
