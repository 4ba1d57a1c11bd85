package dev.sqsworker.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.amazon.awscdk.services.ec2.VpcProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterAttributes;
import software.amazon.awscdk.services.ecs.ClusterProps;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.ICluster;
import software.constructs.Construct;

/**
 * A stack of {@link WorkerService}s on one ECS cluster in one VPC, both created here unless the
 * props name existing ones. A created VPC has public and private subnets, one NAT gateway by
 * default and a (free) S3 gateway endpoint; a created cluster has Container Insights, which the
 * backlog-per-task scaling reads.
 */
public final class WorkerStack extends Stack {

  private final IVpc vpc;
  private final ICluster cluster;
  private final Map<String, WorkerService> workers = new LinkedHashMap<>();

  /** Defines the network, the cluster and one {@link WorkerService} per worker. */
  public WorkerStack(Construct scope, String id, WorkerStackProps props) {
    super(scope, id, props.stackProps());
    vpc =
        props
            .vpcId()
            .map(
                vpcId ->
                    Vpc.fromLookup(this, "Vpc", VpcLookupOptions.builder().vpcId(vpcId).build()))
            .orElseGet(() -> createVpc(props));
    cluster =
        props
            .clusterName()
            .map(
                name ->
                    Cluster.fromClusterAttributes(
                        this,
                        "Cluster",
                        ClusterAttributes.builder()
                            .clusterName(name)
                            .vpc(vpc)
                            .securityGroups(List.of())
                            .build()))
            .orElseGet(
                () ->
                    new Cluster(
                        this,
                        "Cluster",
                        ClusterProps.builder()
                            .vpc(vpc)
                            .containerInsightsV2(ContainerInsights.ENABLED)
                            .build()));
    for (var worker : props.workers()) {
      workers.put(
          worker.workerName(), new WorkerService(this, constructId(worker), cluster, worker));
    }
  }

  private IVpc createVpc(WorkerStackProps props) {
    return new Vpc(
        this,
        "Vpc",
        VpcProps.builder()
            .maxAzs(props.maxAzs())
            .natGateways(props.natGateways())
            .gatewayEndpoints(
                Map.of(
                    "S3",
                    GatewayVpcEndpointOptions.builder()
                        .service(GatewayVpcEndpointAwsService.S3)
                        .build()))
            .build());
  }

  private static String constructId(WorkerServiceProps worker) {
    var id = new StringBuilder();
    for (var part : worker.workerName().split("-")) {
      if (!part.isEmpty()) {
        id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return id + "Worker";
  }

  /** The VPC the tasks run in. */
  public IVpc vpc() {
    return vpc;
  }

  /** The cluster the services run on. */
  public ICluster cluster() {
    return cluster;
  }

  /** The workers by name, in the order they were given. */
  public Map<String, WorkerService> workers() {
    return java.util.Collections.unmodifiableMap(workers);
  }
}
