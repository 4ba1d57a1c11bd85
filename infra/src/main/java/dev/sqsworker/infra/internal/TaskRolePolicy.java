package dev.sqsworker.infra.internal;

import dev.sqsworker.infra.WorkerServiceProps;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The task role's only policy, written statement by statement rather than through CDK's {@code
 * grant*} helpers, which add actions the worker never calls (e.g. {@code sqs:GetQueueUrl}, {@code
 * s3:Abort*}, {@code s3:DeleteObject*}).
 */
public final class TaskRolePolicy {

  /** Actions on the source queue. The batch APIs are authorized by these same actions. */
  public static final List<String> QUEUE_ACTIONS =
      List.of(
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:GetQueueAttributes");

  /** Actions on the dead-letter queue. */
  public static final List<String> DEAD_LETTER_ACTIONS = List.of("sqs:SendMessage");

  /** Actions on objects under the artifact prefix. */
  public static final List<String> ARTIFACT_ACTIONS =
      List.of("s3:PutObject", "s3:GetObject", "s3:GetObjectVersion");

  /** Actions the worker uses through the ECS agent to protect a busy task from scale-in. */
  public static final List<String> TASK_PROTECTION_ACTIONS =
      List.of("ecs:GetTaskProtection", "ecs:UpdateTaskProtection");

  private TaskRolePolicy() {}

  /**
   * A source queue and its dead-letter queue.
   *
   * @param sidSuffix appended to the statement ids ({@code ConsumeSourceQueueRefunds}); empty in
   *     the single-queue form
   */
  public record QueuePair(String sidSuffix, IQueue queue, IQueue deadLetterQueue) {}

  /**
   * Creates the policy and attaches it to {@code role}: per queue one statement to consume it and
   * one to send to its own dead-letter queue, each naming that queue's ARN only.
   */
  public static Policy attach(
      Construct scope,
      IRole role,
      List<QueuePair> queues,
      IBucket bucket,
      ICluster cluster,
      WorkerServiceProps props) {
    var statements = new ArrayList<PolicyStatement>();
    for (var pair : queues) {
      statements.add(
          allow(
              "ConsumeSourceQueue" + pair.sidSuffix(), QUEUE_ACTIONS, pair.queue().getQueueArn()));
      statements.add(
          allow(
              "SendToDeadLetterQueue" + pair.sidSuffix(),
              DEAD_LETTER_ACTIONS,
              pair.deadLetterQueue().getQueueArn()));
    }
    statements.add(
        allow(
            "ReadWriteArtifacts",
            ARTIFACT_ACTIONS,
            bucket.arnForObjects(props.artifactPrefix() + "*")));
    if (props.taskScaleInProtection()) {
      // Task protection is granted per task ARN; the tasks of this cluster are as narrow as the
      // role can name them before they exist.
      var clusterTasks =
          Arn.format(
              ArnComponents.builder()
                  .service("ecs")
                  .resource("task")
                  .resourceName(cluster.getClusterName() + "/*")
                  .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                  .build(),
              Stack.of(scope));
      statements.add(allow("ProtectOwnTasksFromScaleIn", TASK_PROTECTION_ACTIONS, clusterTasks));
    }
    return new Policy(
        scope,
        "TaskPolicy",
        PolicyProps.builder().statements(statements).roles(List.of(role)).build());
  }

  private static PolicyStatement allow(String sid, List<String> actions, String resource) {
    return new PolicyStatement(
        PolicyStatementProps.builder()
            .sid(sid)
            .effect(Effect.ALLOW)
            .actions(actions)
            .resources(List.of(resource))
            .build());
  }
}
