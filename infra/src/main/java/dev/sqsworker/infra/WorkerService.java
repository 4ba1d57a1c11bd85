package dev.sqsworker.infra;

import dev.sqsworker.infra.internal.BacklogScaling;
import dev.sqsworker.infra.internal.QueueSettings;
import dev.sqsworker.infra.internal.TaskRolePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateServiceProps;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.FargateTaskDefinitionProps;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.RoleProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueAttributes;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.QueueProps;
import software.amazon.awscdk.services.sqs.RedriveAllowPolicy;
import software.amazon.awscdk.services.sqs.RedrivePermission;
import software.constructs.Construct;

/**
 * One worker on ECS Fargate: its source queue and dead-letter queue, artifact bucket, log group,
 * least-privilege task role, task definition and service, and scaling on backlog per task.
 * Instantiate it once per worker, in one stack or several, on a cluster you pass in.
 *
 * <p>With {@link WorkerServiceProps#queues()} one service consumes several queues in one task: the
 * container runs one worker per queue ({@code SQSWORKER_WORKERS} with {@code SQSWORKER_<NAME>_*}
 * variables), each queue has its own dead-letter queue, redrive policy, alarms and task-role
 * statements (under a construct named after the queue), and the service scales on the visible
 * messages of all its queues per running task. Without queues the service is the single-queue form
 * it always was, with the same logical ids.
 *
 * <p>What it guarantees, each asserted on the synthesized template by the tests:
 *
 * <ul>
 *   <li>SQS redrives a message to the dead-letter queue only after {@code maxAttempts +
 *       redriveMargin} receives, so the worker's own dead-lettering (with its failure reason)
 *       always comes first; the dead-letter queue accepts only this source queue and keeps messages
 *       14 days.
 *   <li>The bucket is versioned, SSE-encrypted, closed to the public and to non-TLS requests, and
 *       moves current versions to STANDARD_IA at 30 days and GLACIER at 90, expires them at 365,
 *       expires noncurrent versions and aborts incomplete multipart uploads after 7 days.
 *   <li>The task role can do only what the worker does: consume its queue (each of its queues),
 *       send to that queue's dead-letter queue, read and write under its artifact prefix, and
 *       (optionally) set scale-in protection on its own cluster's tasks. No statement of it has a
 *       {@code *} resource.
 *   <li>ECS waits {@code shutdownGrace + stopTimeoutMargin} after SIGTERM before it kills the
 *       container, so the worker's drain always finishes first.
 * </ul>
 */
public final class WorkerService extends Construct {

  /** Retention of the dead-letter queue: the SQS maximum, time to inspect and replay. */
  public static final Duration DEAD_LETTER_RETENTION = Duration.days(14);

  /** Name of the worker's container in the task definition. */
  public static final String CONTAINER_NAME = "worker";

  /** The window of the dead-letter growth alarm, in minutes. */
  public static final int DEAD_LETTER_GROWTH_MINUTES = 5;

  private final WorkerServiceProps props;
  private final List<ConsumedQueue> queues;
  private final Bucket bucket;
  private final LogGroup logGroup;
  private final Role taskRole;
  private final FargateTaskDefinition taskDefinition;
  private final ContainerDefinition container;
  private final FargateService service;
  private final ICluster cluster;

  /**
   * Defines the worker's resources under {@code scope}.
   *
   * @param cluster the ECS cluster to run on; scaling reads its Container Insights metrics, so
   *     Container Insights must be enabled on it
   * @param props the validated worker props
   */
  public WorkerService(Construct scope, String id, ICluster cluster, WorkerServiceProps props) {
    super(scope, id);
    this.props = props;
    this.cluster = cluster;
    var stack = Stack.of(this);

    var settings = QueueSettings.of(props);
    var created = new ArrayList<ConsumedQueue>();
    for (var queueSettings : settings) {
      // The single-queue form keeps its resources directly under the service (unchanged ids).
      Construct queueScope =
          props.multiQueue() ? new Construct(this, queueSettings.idPart()) : this;
      var names = QueueNames.of(stack, props, queueSettings);
      var deadLetterQueue = createDeadLetterQueue(queueScope, queueSettings, names);
      var queue = createQueue(queueScope, queueSettings, names, deadLetterQueue);
      created.add(new ConsumedQueue(queueScope, queueSettings, queue, deadLetterQueue));
    }
    queues = List.copyOf(created);
    bucket = createBucket();
    logGroup =
        new LogGroup(
            this,
            "Logs",
            LogGroupProps.builder()
                .retention(props.logRetention())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());

    taskRole =
        new Role(
            this,
            "TaskRole",
            RoleProps.builder()
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("sqs-worker " + props.workerName() + ": queue, DLQ, artifact prefix")
                .build());
    TaskRolePolicy.attach(
        this,
        taskRole,
        queues.stream()
            .map(q -> new TaskRolePolicy.QueuePair(q.settings.idPart(), q.queue, q.deadLetterQueue))
            .toList(),
        bucket,
        cluster,
        props);

    taskDefinition =
        new FargateTaskDefinition(
            this,
            "TaskDefinition",
            FargateTaskDefinitionProps.builder()
                .cpu(props.cpu())
                .memoryLimitMiB(props.memoryMiB())
                .taskRole(taskRole)
                .runtimePlatform(
                    RuntimePlatform.builder()
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .cpuArchitecture(
                            props.cpuArchitecture() == CpuArchitecture.ARM64
                                ? software.amazon.awscdk.services.ecs.CpuArchitecture.ARM64
                                : software.amazon.awscdk.services.ecs.CpuArchitecture.X86_64)
                        .build())
                .build());
    container = taskDefinition.addContainer(CONTAINER_NAME, containerOptions(stack));

    service =
        new FargateService(
            this,
            "Service",
            FargateServiceProps.builder()
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                // A rolling deploy starts new tasks before it stops old ones: no gap in
                // consumption.
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
                .assignPublicIp(false)
                .build());

    BacklogScaling.attach(
        this,
        cluster,
        service,
        queues.stream().map(q -> new BacklogScaling.Source(q.settings.name(), q.queue)).toList(),
        props);
    for (var queue : queues) {
      queue.createAlarms(props.workerName());
    }
    if (props.dashboard()) {
      createDashboard();
    }
    createOutputs();
  }

  private static Queue createDeadLetterQueue(
      Construct scope, QueueSettings settings, QueueNames names) {
    // The source queue's ARN is built from its name, not referenced: the source's RedrivePolicy
    // already references this queue, and a reference back would be a cycle.
    var source =
        Queue.fromQueueAttributes(
            scope,
            "SourceQueueRef",
            QueueAttributes.builder().queueArn(names.sourceArn()).fifo(settings.fifo()).build());
    return new Queue(
        scope,
        "DeadLetterQueue",
        QueueProps.builder()
            .queueName(names.deadLetter())
            .fifo(settings.fifo() ? true : null)
            .retentionPeriod(DEAD_LETTER_RETENTION)
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .redriveAllowPolicy(
                RedriveAllowPolicy.builder()
                    .redrivePermission(RedrivePermission.BY_QUEUE)
                    .sourceQueues(List.of(source))
                    .build())
            .build());
  }

  private static Queue createQueue(
      Construct scope, QueueSettings settings, QueueNames names, Queue deadLetterQueue) {
    return new Queue(
        scope,
        "Queue",
        QueueProps.builder()
            .queueName(names.source())
            .fifo(settings.fifo() ? true : null)
            .visibilityTimeout(seconds(settings.visibilityTimeout()))
            .retentionPeriod(seconds(settings.messageRetention()))
            .receiveMessageWaitTime(Duration.seconds(20))
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(deadLetterQueue)
                    .maxReceiveCount(settings.maxReceiveCount())
                    .build())
            .build());
  }

  private Bucket createBucket() {
    var kms = props.artifactEncryption() == ArtifactEncryption.KMS_MANAGED;
    return new Bucket(
        this,
        "ArtifactBucket",
        BucketProps.builder()
            .versioned(true)
            .encryption(kms ? BucketEncryption.KMS_MANAGED : BucketEncryption.S3_MANAGED)
            .bucketKeyEnabled(kms ? true : null)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .removalPolicy(RemovalPolicy.RETAIN)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("artifact-tiers")
                        .enabled(true)
                        .transitions(
                            List.of(
                                Transition.builder()
                                    .storageClass(StorageClass.INFREQUENT_ACCESS)
                                    .transitionAfter(Duration.days(30))
                                    .build(),
                                Transition.builder()
                                    .storageClass(StorageClass.GLACIER)
                                    .transitionAfter(Duration.days(90))
                                    .build()))
                        .expiration(Duration.days(365))
                        .noncurrentVersionExpiration(
                            Duration.days(props.noncurrentVersionExpirationDays()))
                        .abortIncompleteMultipartUploadAfter(Duration.days(7))
                        .build(),
                    // Expiring a current version leaves a delete marker; once its noncurrent
                    // versions are gone too, this removes the marker. S3 rejects the flag in a
                    // rule that also expires by age, hence a rule of its own.
                    LifecycleRule.builder()
                        .id("expired-delete-markers")
                        .enabled(true)
                        .expiredObjectDeleteMarker(true)
                        .build()))
            .build());
  }

  private ContainerDefinitionOptions containerOptions(Stack stack) {
    var env = new LinkedHashMap<String, String>();
    if (props.multiQueue()) {
      env.put(
          WorkerEnvironment.WORKERS,
          String.join(",", props.queues().stream().map(WorkerQueue::name).toList()));
    }
    // Each queue's worker options: SQSWORKER_<NAME>_<OPTION> in the several-queues form, the
    // shared SQSWORKER_<OPTION> in the single-queue form.
    for (var consumed : queues) {
      var settings = consumed.settings;
      env.put(
          WorkerEnvironment.perWorker(settings.variablePrefix(), WorkerEnvironment.QUEUE_URL),
          consumed.queue.getQueueUrl());
      env.put(
          WorkerEnvironment.perWorker(settings.variablePrefix(), WorkerEnvironment.DLQ_URL),
          consumed.deadLetterQueue.getQueueUrl());
      env.put(
          WorkerEnvironment.perWorker(settings.variablePrefix(), WorkerEnvironment.HANDLER_CLASS),
          settings.handlerClass());
      env.put(
          WorkerEnvironment.perWorker(settings.variablePrefix(), WorkerEnvironment.CONCURRENCY),
          Integer.toString(settings.concurrency()));
      env.put(
          WorkerEnvironment.perWorker(
              settings.variablePrefix(), WorkerEnvironment.VISIBILITY_TIMEOUT),
          settings.visibilityTimeout().toString());
      env.put(
          WorkerEnvironment.perWorker(settings.variablePrefix(), WorkerEnvironment.MAX_ATTEMPTS),
          Integer.toString(settings.maxAttempts()));
    }
    env.put(WorkerEnvironment.SHUTDOWN_GRACE, props.shutdownGrace().toString());
    env.put(WorkerEnvironment.JDBC_URL, props.jdbcUrl());
    env.put(WorkerEnvironment.JDBC_USER, props.jdbcUser());
    env.put(WorkerEnvironment.HTTP_PORT, Integer.toString(props.httpPort()));
    env.put(WorkerEnvironment.ARTIFACT_BUCKET, bucket.getBucketName());
    env.put(WorkerEnvironment.ARTIFACT_PREFIX, props.artifactPrefix());
    env.put(WorkerEnvironment.AWS_REGION, stack.getRegion());

    var secret =
        software.amazon.awscdk.services.secretsmanager.Secret.fromSecretCompleteArn(
            this, "DbPasswordSecret", props.dbPasswordSecretArn());
    var password =
        props
            .dbPasswordSecretField()
            .map(field -> Secret.fromSecretsManager(secret, field))
            .orElseGet(() -> Secret.fromSecretsManager(secret));

    return ContainerDefinitionOptions.builder()
        .containerName(CONTAINER_NAME)
        .image(image())
        .essential(true)
        .environment(env)
        .secrets(Map.of(WorkerEnvironment.JDBC_PASSWORD, password))
        .stopTimeout(seconds(props.stopTimeout()))
        .healthCheck(
            HealthCheck.builder()
                .command(props.healthCheckCommand())
                .interval(Duration.seconds(30))
                .timeout(Duration.seconds(5))
                .retries(3)
                // JVM start, Flyway migrations and the first SQS call happen before /health/live.
                .startPeriod(Duration.seconds(60))
                .build())
        .logging(
            LogDrivers.awsLogs(
                AwsLogDriverProps.builder()
                    .logGroup(logGroup)
                    .streamPrefix(props.workerName())
                    .build()))
        .build();
  }

  private ContainerImage image() {
    var image = props.image();
    if (image instanceof WorkerImage.Ecr ecr) {
      var repository = Repository.fromRepositoryName(this, "Repository", ecr.repositoryName());
      return ContainerImage.fromEcrRepository(repository, ecr.tag());
    }
    return ContainerImage.fromRegistry(((WorkerImage.Named) image).imageName());
  }

  /** A dashboard of the service: backlog and its age, dead letters, tasks, CPU and memory. */
  private void createDashboard() {
    var dashboard =
        Dashboard.Builder.create(this, "Dashboard")
            .dashboardName(Stack.of(this).getStackName() + "-" + props.workerName())
            .build();
    var backlog = new ArrayList<IMetric>();
    var age = new ArrayList<IMetric>();
    var deadLetters = new ArrayList<IMetric>();
    for (var consumed : queues) {
      var label = consumed.settings.name().map(n -> n + ": ").orElse("");
      var visible = MetricOptions.builder();
      var inFlight = MetricOptions.builder();
      var oldest = MetricOptions.builder();
      var dead = MetricOptions.builder();
      if (props.multiQueue()) {
        visible.label(label + "visible");
        inFlight.label(label + "in flight");
        oldest.label(label + "oldest");
        dead.label(label + "dead letters");
      }
      backlog.add(consumed.queue.metricApproximateNumberOfMessagesVisible(visible.build()));
      backlog.add(consumed.queue.metricApproximateNumberOfMessagesNotVisible(inFlight.build()));
      age.add(consumed.queue.metricApproximateAgeOfOldestMessage(oldest.build()));
      deadLetters.add(
          consumed.deadLetterQueue.metricApproximateNumberOfMessagesVisible(dead.build()));
    }
    dashboard.addWidgets(
        GraphWidget.Builder.create()
            .title("Backlog: visible and in flight")
            .left(backlog)
            .width(12)
            .build(),
        GraphWidget.Builder.create()
            .title("Age of the oldest message (s)")
            .left(age)
            .leftAnnotations(
                List.of(
                    HorizontalAnnotation.builder()
                        .value(props.oldestMessageAlarmAge().toSeconds())
                        .label("alarm")
                        .build()))
            .width(12)
            .build());
    dashboard.addWidgets(
        GraphWidget.Builder.create().title("Dead-letter queue").left(deadLetters).width(8).build(),
        GraphWidget.Builder.create()
            .title("Tasks")
            .left(
                List.of(
                    Metric.Builder.create()
                        .namespace("ECS/ContainerInsights")
                        .metricName("RunningTaskCount")
                        .dimensionsMap(
                            Map.of(
                                "ClusterName", cluster.getClusterName(),
                                "ServiceName", service.getServiceName()))
                        .build()))
            .width(8)
            .build(),
        GraphWidget.Builder.create()
            .title("CPU and memory (%)")
            .left(List.of(service.metricCpuUtilization(), service.metricMemoryUtilization()))
            .width(8)
            .build());
  }

  private void createOutputs() {
    for (var consumed : queues) {
      var what = consumed.settings.name().map(n -> n + " ").orElse("");
      output(consumed.scope, "QueueUrl", consumed.queue.getQueueUrl(), what + "source queue URL");
      output(
          consumed.scope,
          "DeadLetterQueueUrl",
          consumed.deadLetterQueue.getQueueUrl(),
          what + "dead-letter queue URL");
    }
    output("ArtifactBucketName", bucket.getBucketName(), "artifact bucket");
    output("ServiceName", service.getServiceName(), "ECS service");
    output("LogGroupName", logGroup.getLogGroupName(), "log group");
  }

  private void output(String id, String value, String what) {
    output(this, id, value, what);
  }

  private void output(Construct scope, String id, String value, String what) {
    new CfnOutput(
        scope,
        id,
        CfnOutputProps.builder()
            .value(value)
            .description("sqs-worker " + props.workerName() + ": " + what)
            .build());
  }

  private static Duration seconds(java.time.Duration duration) {
    return Duration.seconds(duration.toSeconds());
  }

  /** The props this worker was built from. */
  public WorkerServiceProps props() {
    return props;
  }

  /**
   * The consumed queues, in the order of {@link WorkerServiceProps#queues()}; one (unnamed) in the
   * single-queue form.
   */
  public List<ConsumedQueue> queues() {
    return queues;
  }

  /**
   * The source queue of the single-queue form.
   *
   * @throws IllegalStateException when the service consumes several queues: use {@link #queues()}
   */
  public Queue queue() {
    return only().queue;
  }

  /**
   * The dead-letter queue of the single-queue form.
   *
   * @throws IllegalStateException when the service consumes several queues: use {@link #queues()}
   */
  public Queue deadLetterQueue() {
    return only().deadLetterQueue;
  }

  private ConsumedQueue only() {
    if (props.multiQueue()) {
      throw new IllegalStateException(
          "worker service '"
              + props.workerName()
              + "' consumes several queues; use queues() to get each one's resources");
    }
    return queues.get(0);
  }

  /** The artifact bucket. */
  public Bucket bucket() {
    return bucket;
  }

  /** The log group of the worker's container. */
  public LogGroup logGroup() {
    return logGroup;
  }

  /** The task role (what the worker's code may do), distinct from the execution role. */
  public Role taskRole() {
    return taskRole;
  }

  /** The task definition. */
  public FargateTaskDefinition taskDefinition() {
    return taskDefinition;
  }

  /** The worker's container. */
  public ContainerDefinition container() {
    return container;
  }

  /**
   * The alarm raised when the dead-letter queue of the single-queue form holds a message. It has no
   * action: add one (an SNS topic, a chat integration) where the worker is deployed.
   *
   * @throws IllegalStateException when the service consumes several queues: use {@link #queues()}
   */
  public Alarm deadLetterAlarm() {
    return only().deadLetterAlarm;
  }

  /**
   * Raised when at least the configured number of dead letters arrive within 5 minutes (the
   * single-queue form).
   *
   * @throws IllegalStateException when the service consumes several queues: use {@link #queues()}
   */
  public Alarm deadLetterGrowthAlarm() {
    return only().deadLetterGrowthAlarm;
  }

  /**
   * Raised when the source queue's oldest message is older than the configured age (the
   * single-queue form).
   *
   * @throws IllegalStateException when the service consumes several queues: use {@link #queues()}
   */
  public Alarm oldestMessageAlarm() {
    return only().oldestMessageAlarm;
  }

  /** The Fargate service. */
  public FargateService service() {
    return service;
  }

  /**
   * One consumed queue with its dead-letter queue and alarms. In the several-queues form its
   * resources sit under a construct named after the queue ({@code Refunds} for {@code refunds}).
   */
  public static final class ConsumedQueue {
    private final Construct scope;
    private final QueueSettings settings;
    private final Queue queue;
    private final Queue deadLetterQueue;
    private Alarm deadLetterAlarm;
    private Alarm deadLetterGrowthAlarm;
    private Alarm oldestMessageAlarm;

    private ConsumedQueue(
        Construct scope, QueueSettings settings, Queue queue, Queue deadLetterQueue) {
      this.scope = scope;
      this.settings = settings;
      this.queue = queue;
      this.deadLetterQueue = deadLetterQueue;
    }

    private void createAlarms(String workerName) {
      deadLetterAlarm = createDeadLetterAlarm(workerName);
      deadLetterGrowthAlarm = createDeadLetterGrowthAlarm(workerName);
      oldestMessageAlarm = createOldestMessageAlarm(workerName);
    }

    /** The worker's name in {@code SQSWORKER_WORKERS}; empty in the single-queue form. */
    public java.util.Optional<String> name() {
      return settings.name();
    }

    /** The source queue. */
    public Queue queue() {
      return queue;
    }

    /** The dead-letter queue, which accepts redrives from this source queue only. */
    public Queue deadLetterQueue() {
      return deadLetterQueue;
    }

    /** Raised when the dead-letter queue holds a message; it has no action. */
    public Alarm deadLetterAlarm() {
      return deadLetterAlarm;
    }

    /** Raised when at least the configured number of dead letters arrive within 5 minutes. */
    public Alarm deadLetterGrowthAlarm() {
      return deadLetterGrowthAlarm;
    }

    /** Raised when the source queue's oldest message is older than the configured age. */
    public Alarm oldestMessageAlarm() {
      return oldestMessageAlarm;
    }

    private Alarm createDeadLetterAlarm(String workerName) {
      return deadLetterQueue
          .metricApproximateNumberOfMessagesVisible()
          .createAlarm(
              scope,
              "DeadLetterAlarm",
              CreateAlarmOptions.builder()
                  .alarmDescription(
                      "sqs-worker "
                          + settings.describe(workerName)
                          + ": messages in the dead-letter queue; inspect and replay with the dlq CLI")
                  .threshold(1)
                  .evaluationPeriods(1)
                  .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                  .treatMissingData(TreatMissingData.NOT_BREACHING)
                  .build());
    }

    /**
     * Dead letters arriving fast: the DLQ's visible messages grew by at least the threshold within
     * 5 minutes (metric math {@code DIFF} of the 5-minute maximum), whoever put them there: the
     * worker with a reason, or SQS's own redrive without one.
     */
    private Alarm createDeadLetterGrowthAlarm(String workerName) {
      var visible =
          deadLetterQueue.metricApproximateNumberOfMessagesVisible(
              MetricOptions.builder()
                  .statistic("Maximum")
                  .period(Duration.minutes(DEAD_LETTER_GROWTH_MINUTES))
                  .build());
      var growth =
          MathExpression.Builder.create()
              .expression("DIFF(visible)")
              .usingMetrics(Map.of("visible", visible))
              .label("Dead letters added in " + DEAD_LETTER_GROWTH_MINUTES + " minutes")
              .period(Duration.minutes(DEAD_LETTER_GROWTH_MINUTES))
              .build();
      return growth.createAlarm(
          scope,
          "DeadLetterGrowthAlarm",
          CreateAlarmOptions.builder()
              .alarmDescription(
                  "sqs-worker "
                      + settings.describe(workerName)
                      + ": at least "
                      + settings.deadLetterGrowthThreshold()
                      + " dead letters in "
                      + DEAD_LETTER_GROWTH_MINUTES
                      + " minutes; see the DLQ panel by reason, then the runbook's DLQ section")
              .threshold(settings.deadLetterGrowthThreshold())
              .evaluationPeriods(1)
              .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
              .treatMissingData(TreatMissingData.NOT_BREACHING)
              .build());
    }

    /**
     * The backlog is old: the source queue's oldest message has waited longer than the configured
     * age for three minutes in a row (workers stuck, paused, or too few for the load).
     */
    private Alarm createOldestMessageAlarm(String workerName) {
      return queue
          .metricApproximateAgeOfOldestMessage(
              MetricOptions.builder().statistic("Maximum").period(Duration.minutes(1)).build())
          .createAlarm(
              scope,
              "OldestMessageAgeAlarm",
              CreateAlarmOptions.builder()
                  .alarmDescription(
                      "sqs-worker "
                          + settings.describe(workerName)
                          + ": the oldest message has waited over "
                          + settings.oldestMessageAlarmAge().toMinutes()
                          + " min; check paused polling, breakers and running tasks")
                  .threshold(settings.oldestMessageAlarmAge().toSeconds())
                  .evaluationPeriods(3)
                  .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                  .treatMissingData(TreatMissingData.NOT_BREACHING)
                  .build());
    }
  }

  /** Physical queue names, fixed at synthesis so the DLQ can name its source without a cycle. */
  private record QueueNames(String source, String deadLetter, String sourceArn) {
    static QueueNames of(Stack stack, WorkerServiceProps props, QueueSettings settings) {
      var base =
          settings
              .queueName()
              .orElseGet(
                  () ->
                      stack.getStackName()
                          + "-"
                          + props.workerName()
                          + settings.name().map(n -> "-" + n).orElse(""));
      if (Token.isUnresolved(base)) {
        throw new IllegalArgumentException(
            "queueName is required when the stack name is not known at synthesis");
      }
      if (base.length() > 71 || !base.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException(
            "queueName derived from stack and worker name must be at most 71 letters, digits, '-'"
                + " or '_'; set queueName explicitly, was '"
                + base
                + "'");
      }
      var suffix = settings.fifo() ? ".fifo" : "";
      var source = base + suffix;
      var arn =
          software.amazon.awscdk.Arn.format(
              software.amazon.awscdk.ArnComponents.builder()
                  .service("sqs")
                  .resource(source)
                  .build(),
              stack);
      return new QueueNames(source, base + "-dlq" + suffix, arn);
    }
  }
}
