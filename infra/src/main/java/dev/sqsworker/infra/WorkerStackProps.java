package dev.sqsworker.infra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.StackProps;

/**
 * A stack of workers sharing one VPC and one ECS cluster, each either created by the stack or
 * looked up: an existing VPC by id (needs an account and region in {@link #stackProps()}), an
 * existing cluster by name in that VPC (with Container Insights enabled, which scaling reads).
 */
public final class WorkerStackProps {

  /** Default number of availability zones of a created VPC. */
  public static final int DEFAULT_MAX_AZS = 2;

  /** Default NAT gateways of a created VPC: one, shared by its private subnets. */
  public static final int DEFAULT_NAT_GATEWAYS = 1;

  private final StackProps stackProps;
  private final Optional<String> vpcId;
  private final Optional<String> clusterName;
  private final int maxAzs;
  private final int natGateways;
  private final List<WorkerServiceProps> workers;

  private WorkerStackProps(Builder b) {
    stackProps = b.stackProps;
    vpcId = Optional.ofNullable(b.vpcId);
    clusterName = Optional.ofNullable(b.clusterName);
    maxAzs = b.maxAzs;
    natGateways = b.natGateways;
    workers = List.copyOf(b.workers);
  }

  /** A builder with no workers yet. */
  public static Builder builder() {
    return new Builder();
  }

  /** Stack-level CDK props: environment, description, tags. */
  public StackProps stackProps() {
    return stackProps;
  }

  /** Id of an existing VPC to look up; empty creates one. */
  public Optional<String> vpcId() {
    return vpcId;
  }

  /** Name of an existing cluster in that VPC; empty creates one with Container Insights. */
  public Optional<String> clusterName() {
    return clusterName;
  }

  /** Availability zones of a created VPC. */
  public int maxAzs() {
    return maxAzs;
  }

  /** NAT gateways of a created VPC. */
  public int natGateways() {
    return natGateways;
  }

  /** The workers, each with a distinct name. */
  public List<WorkerServiceProps> workers() {
    return workers;
  }

  /** Builds {@link WorkerStackProps}. */
  public static final class Builder {
    private StackProps stackProps = StackProps.builder().build();
    private String vpcId;
    private String clusterName;
    private int maxAzs = DEFAULT_MAX_AZS;
    private int natGateways = DEFAULT_NAT_GATEWAYS;
    private final List<WorkerServiceProps> workers = new ArrayList<>();

    private Builder() {}

    /** Stack-level CDK props. */
    public Builder stackProps(StackProps value) {
      stackProps = Objects.requireNonNull(value, "stackProps must not be null");
      return this;
    }

    /** Optional: id of an existing VPC ({@code vpc-...}). */
    public Builder vpcId(String value) {
      if (value != null && !value.matches("vpc-[0-9a-f]{8,17}")) {
        throw new IllegalArgumentException(
            "vpcId must look like vpc-0123abcd, was '" + value + "'");
      }
      vpcId = value;
      return this;
    }

    /** Optional: name of an existing ECS cluster; needs {@link #vpcId}. */
    public Builder clusterName(String value) {
      if (value != null && !value.matches("[A-Za-z0-9_-]{1,255}")) {
        throw new IllegalArgumentException(
            "clusterName must be 1 to 255 letters, digits, '-' or '_', was '" + value + "'");
      }
      clusterName = value;
      return this;
    }

    /** Availability zones of a created VPC, 1 to 6; default 2. */
    public Builder maxAzs(int value) {
      if (value < 1 || value > 6) {
        throw new IllegalArgumentException("maxAzs must be between 1 and 6, was " + value);
      }
      maxAzs = value;
      return this;
    }

    /** NAT gateways of a created VPC, 0 to 6; default 1. With 0 tasks need VPC endpoints. */
    public Builder natGateways(int value) {
      if (value < 0 || value > 6) {
        throw new IllegalArgumentException("natGateways must be between 0 and 6, was " + value);
      }
      natGateways = value;
      return this;
    }

    /** Adds a worker. */
    public Builder worker(WorkerServiceProps value) {
      workers.add(Objects.requireNonNull(value, "worker must not be null"));
      return this;
    }

    /**
     * Validates and returns the props.
     *
     * @throws IllegalArgumentException with no worker, two workers of one name, or a cluster name
     *     without a VPC id
     */
    public WorkerStackProps build() {
      if (workers.isEmpty()) {
        throw new IllegalArgumentException("workers must name at least one worker");
      }
      var seen = new HashSet<String>();
      for (var worker : workers) {
        if (!seen.add(worker.workerName())) {
          throw new IllegalArgumentException(
              "workers must have distinct names, '" + worker.workerName() + "' appears twice");
        }
      }
      if (clusterName != null && vpcId == null) {
        throw new IllegalArgumentException("clusterName needs vpcId: an existing cluster's VPC");
      }
      return new WorkerStackProps(this);
    }
  }
}
