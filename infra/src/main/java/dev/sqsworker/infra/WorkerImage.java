package dev.sqsworker.infra;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a worker's container image comes from: a tag in an ECR repository of the deploying account
 * ({@link #fromEcr}), or a full image name that any registry the task reaches serves ({@link
 * #fromName}).
 */
public sealed interface WorkerImage {

  /** An image any registry the task can reach serves, e.g. {@code ghcr.io/acme/orders:1.4.0}. */
  static WorkerImage fromName(String imageName) {
    return new Named(imageName);
  }

  /** A tag in an ECR repository of the deploying account and region. */
  static WorkerImage fromEcr(String repositoryName, String tag) {
    return new Ecr(repositoryName, tag);
  }

  /**
   * A full image reference.
   *
   * @param imageName registry, repository and tag or digest; non-blank, no whitespace
   */
  record Named(String imageName) implements WorkerImage {
    /** Rejects a blank name or one with whitespace. */
    public Named {
      Objects.requireNonNull(imageName, "imageName");
      if (imageName.isBlank() || imageName.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "imageName must be non-blank without whitespace, was '" + imageName + "'");
      }
    }
  }

  /**
   * A tag in an ECR repository of the deploying account and region.
   *
   * @param repositoryName the repository, e.g. {@code sqs-worker/orders}
   * @param tag the tag, e.g. {@code 1.4.0}
   */
  record Ecr(String repositoryName, String tag) implements WorkerImage {
    private static final Pattern REPOSITORY =
        Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /** Rejects names and tags ECR would not accept. */
    public Ecr {
      Objects.requireNonNull(repositoryName, "repositoryName");
      Objects.requireNonNull(tag, "tag");
      if (repositoryName.length() < 2
          || repositoryName.length() > 256
          || !REPOSITORY.matcher(repositoryName).matches()) {
        throw new IllegalArgumentException(
            "ecrRepository must be a valid ECR repository name, was '" + repositoryName + "'");
      }
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("imageTag must be a valid image tag, was '" + tag + "'");
      }
    }
  }
}
