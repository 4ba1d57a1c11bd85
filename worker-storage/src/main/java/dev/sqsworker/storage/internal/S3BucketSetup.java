package dev.sqsworker.storage.internal;

import dev.sqsworker.storage.BucketPolicy;
import dev.sqsworker.storage.BucketSetting;
import dev.sqsworker.storage.BucketSetup;
import dev.sqsworker.storage.BucketSetupReport;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/** {@link BucketSetup} through the S3 API: read each setting, write the ones that differ. */
public final class S3BucketSetup implements BucketSetup {

  private static final Logger LOG = LoggerFactory.getLogger(S3BucketSetup.class);

  private static final PublicAccessBlockConfiguration ALL_BLOCKED =
      PublicAccessBlockConfiguration.builder()
          .blockPublicAcls(true)
          .ignorePublicAcls(true)
          .blockPublicPolicy(true)
          .restrictPublicBuckets(true)
          .build();

  private final S3Client client;

  /** A setup through this client. */
  public S3BucketSetup(S3Client client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public BucketSetupReport apply(String bucket, BucketPolicy policy) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(policy, "policy");
    Set<BucketSetting> changed = EnumSet.noneOf(BucketSetting.class);
    if (versioning(bucket)) {
      changed.add(BucketSetting.VERSIONING);
    }
    if (lifecycle(bucket, policy.lifecycleRules())) {
      changed.add(BucketSetting.LIFECYCLE);
    }
    if (policy.encryption() != null && encryption(bucket, policy)) {
      changed.add(BucketSetting.ENCRYPTION);
    }
    if (policy.blockPublicAccess() && publicAccessBlock(bucket)) {
      changed.add(BucketSetting.PUBLIC_ACCESS_BLOCK);
    }
    if (!changed.isEmpty()) {
      LOG.info("Bucket {}: set {}", bucket, changed);
    }
    return new BucketSetupReport(bucket, changed);
  }

  private boolean versioning(String bucket) {
    BucketVersioningStatus status = client.getBucketVersioning(b -> b.bucket(bucket)).status();
    if (status == BucketVersioningStatus.ENABLED) {
      return false;
    }
    client.putBucketVersioning(
        b ->
            b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    return true;
  }

  private boolean lifecycle(String bucket, List<LifecycleRule> wanted) {
    Optional<List<LifecycleRule>> current =
        readOrAbsent(() -> client.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules());
    if (current.isPresent() && normalized(current.get()).equals(normalized(wanted))) {
      return false;
    }
    client.putBucketLifecycleConfiguration(
        b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(wanted)));
    return true;
  }

  private boolean encryption(String bucket, BucketPolicy policy) {
    ServerSideEncryptionByDefault wanted =
        ServerSideEncryptionByDefault.builder()
            .sseAlgorithm(policy.encryption())
            .kmsMasterKeyID(policy.kmsKeyId())
            .build();
    Optional<List<ServerSideEncryptionRule>> current =
        readOrAbsent(
            () ->
                client
                    .getBucketEncryption(b -> b.bucket(bucket))
                    .serverSideEncryptionConfiguration()
                    .rules());
    boolean matches =
        current
            .map(
                rules ->
                    rules.size() == 1
                        && wanted.equals(rules.get(0).applyServerSideEncryptionByDefault()))
            .orElse(false);
    if (matches) {
      return false;
    }
    client.putBucketEncryption(
        b ->
            b.bucket(bucket)
                .serverSideEncryptionConfiguration(
                    c ->
                        c.rules(
                            ServerSideEncryptionRule.builder()
                                .applyServerSideEncryptionByDefault(wanted)
                                .build())));
    return true;
  }

  private boolean publicAccessBlock(String bucket) {
    Optional<PublicAccessBlockConfiguration> current =
        readOrAbsent(
            () ->
                client
                    .getPublicAccessBlock(b -> b.bucket(bucket))
                    .publicAccessBlockConfiguration());
    if (current.isPresent() && current.get().equals(ALL_BLOCKED)) {
      return false;
    }
    client.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(ALL_BLOCKED));
    return true;
  }

  /** Rules with an empty prefix filter written as the empty filter, which means the same. */
  private static List<LifecycleRule> normalized(List<LifecycleRule> rules) {
    return rules.stream()
        .map(
            rule ->
                rule.filter() != null && "".equals(rule.filter().prefix())
                    ? rule.toBuilder()
                        .filter(rule.filter().toBuilder().prefix(null).build())
                        .build()
                    : rule)
        .toList();
  }

  /** The setting, or empty when S3 says the bucket has none (404). */
  private static <T> Optional<T> readOrAbsent(Supplier<T> read) {
    try {
      return Optional.ofNullable(read.get());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
