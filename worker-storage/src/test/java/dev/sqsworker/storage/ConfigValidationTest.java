package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

class ConfigValidationTest {

  @Test
  void signerExpiryDefaultsToFifteenMinutesAndIsBoundedBySevenDays() {
    SignerConfig config = SignerConfig.builder("b").build();

    assertThat(config.checkExpiry(null)).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.checkExpiry(Duration.ofDays(7))).isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> config.checkExpiry(Duration.ofDays(7).plusSeconds(1)))
        .hasMessage("expiry must be positive and at most PT168H, was PT168H1S");
    assertThatThrownBy(() -> config.checkExpiry(Duration.ZERO))
        .hasMessageContaining("expiry must be positive");
    assertThatThrownBy(() -> config.checkExpiry(Duration.ofSeconds(-1)))
        .hasMessageContaining("expiry must be positive");
  }

  @Test
  void signerMaxExpiryCanBeLoweredButNotRaised() {
    SignerConfig config =
        SignerConfig.builder("b")
            .maxExpiry(Duration.ofHours(1))
            .defaultExpiry(Duration.ofMinutes(5))
            .build();
    assertThatThrownBy(() -> config.checkExpiry(Duration.ofHours(2)))
        .hasMessageContaining("at most PT1H");
    assertThatThrownBy(() -> SignerConfig.builder("b").maxExpiry(Duration.ofDays(8)))
        .hasMessageContaining("maxExpiry must be positive and at most PT168H");
    assertThatThrownBy(
            () ->
                SignerConfig.builder("b")
                    .maxExpiry(Duration.ofMinutes(10))
                    .defaultExpiry(Duration.ofMinutes(20))
                    .build())
        .hasMessage("defaultExpiry must not exceed maxExpiry (PT10M), was PT20M");
  }

  @Test
  void signerConfigRefusesBlankBucketsAndStrayKmsKeys() {
    assertThatThrownBy(() -> SignerConfig.builder(" "))
        .hasMessage("bucket must not be blank, was ' '");
    assertThatThrownBy(() -> SignerConfig.builder("b").kmsKeyId("key").build())
        .hasMessageContaining("kmsKeyId needs encryption aws:kms");
    assertThat(
            SignerConfig.builder("b")
                .encryption(ServerSideEncryption.AWS_KMS)
                .kmsKeyId("key")
                .build()
                .kmsKeyId())
        .isEqualTo("key");
  }

  @Test
  void uploaderConfigDefaultsAndBounds() {
    UploaderConfig config = UploaderConfig.defaults();
    assertThat(config.multipartThreshold()).isEqualTo(64 * UploaderConfig.MIB);
    assertThat(config.partSize()).isEqualTo(16 * UploaderConfig.MIB);

    assertThatThrownBy(() -> UploaderConfig.builder().partSize(UploaderConfig.MIB))
        .hasMessageContaining("partSize must be between 5242880");
    assertThatThrownBy(() -> UploaderConfig.builder().multipartThreshold(0))
        .hasMessage("multipartThreshold must be positive, was 0");
    assertThatThrownBy(() -> UploaderConfig.builder().maxAttempts(0))
        .hasMessage("maxAttempts must be between 1 and 20, was 0");
    assertThatThrownBy(
            () -> UploaderConfig.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("initialBackoff <= maxBackoff");
  }

  @Test
  void backoffDoublesUpToTheCap() {
    UploaderConfig config =
        UploaderConfig.builder().backoff(Duration.ofMillis(100), Duration.ofMillis(350)).build();

    assertThat(config.backoffBefore(1)).isZero();
    assertThat(config.backoffBefore(2)).isEqualTo(Duration.ofMillis(100));
    assertThat(config.backoffBefore(3)).isEqualTo(Duration.ofMillis(200));
    assertThat(config.backoffBefore(4)).isEqualTo(Duration.ofMillis(350));
    assertThat(config.backoffBefore(20)).isEqualTo(Duration.ofMillis(350));
  }

  @Test
  void bucketPolicyDefaultsMatchTheArchitecture() {
    BucketPolicy policy = BucketPolicy.defaults();
    var rule = policy.lifecycleRules().get(0);

    assertThat(rule.transitions())
        .extracting(t -> t.days() + " " + t.storageClassAsString())
        .containsExactly("30 STANDARD_IA", "90 GLACIER");
    assertThat(rule.expiration().days()).isEqualTo(365);
    assertThat(rule.noncurrentVersionExpiration().noncurrentDays()).isEqualTo(30);
    assertThat(rule.abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(7);
    assertThat(policy.encryption()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(policy.blockPublicAccess()).isTrue();
  }

  @Test
  void bucketPolicyRefusesTransitionsOutOfOrder() {
    assertThatThrownBy(() -> BucketPolicy.builder().infrequentAccessDays(10))
        .hasMessage("infrequentAccessDays must be at least 30 (S3's minimum), was 10");
    assertThatThrownBy(() -> BucketPolicy.builder().glacierDays(30).build())
        .hasMessage("glacierDays must be after infrequentAccessDays (30), was 30");
    assertThatThrownBy(() -> BucketPolicy.builder().expirationDays(60).build())
        .hasMessage("expirationDays must be after glacierDays (90), was 60");
    assertThatThrownBy(() -> BucketPolicy.builder().noncurrentExpirationDays(0))
        .hasMessage("noncurrentExpirationDays must be at least 1, was 0");
    assertThatThrownBy(() -> BucketPolicy.builder().encryption(ServerSideEncryption.AWS_KMS_DSSE))
        .hasMessageContaining("encryption must be AES256 or aws:kms");
  }

  @Test
  void bucketPolicyWithAPrefixFiltersTheRule() {
    var rule = BucketPolicy.builder().prefix("reports/").build().lifecycleRules().get(0);
    assertThat(rule.filter().prefix()).isEqualTo("reports/");
    assertThat(BucketPolicy.defaults().lifecycleRules().get(0).filter().prefix()).isNull();
  }
}
