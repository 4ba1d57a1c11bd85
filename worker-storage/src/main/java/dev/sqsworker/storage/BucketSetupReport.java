package dev.sqsworker.storage;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link BucketSetup#apply} changed on a bucket; empty when it already matched the policy.
 *
 * @param bucket the bucket
 * @param changed the settings that were written
 */
public record BucketSetupReport(String bucket, Set<BucketSetting> changed) {

  /** Checks that no part is missing and freezes the set. */
  public BucketSetupReport {
    Objects.requireNonNull(bucket, "bucket");
    changed =
        changed.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(changed));
  }

  /** Whether anything was written. */
  public boolean changedAnything() {
    return !changed.isEmpty();
  }
}
