package dev.sqsworker.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/**
 * {@code cdk.json} sets every feature flag that the aws-cdk-lib in use recommends (the list it
 * ships, {@code recommended-feature-flags.json}), so {@code cdk synth} warns about none unset.
 */
class CdkJsonTest {

  @Test
  @SuppressWarnings("unchecked")
  void setsEveryRecommendedFeatureFlagOfTheCdkInUse() throws IOException {
    Map<String, Object> recommended = new ObjectMapper().readValue(recommendedFlags(), Map.class);
    assertThat(recommended).hasSizeGreaterThan(50);
    assertThat(CdkContext.flags()).containsAllEntriesOf(recommended);
  }

  /** The flags file inside the jsii assembly that the aws-cdk-lib jar carries. */
  private static byte[] recommendedFlags() throws IOException {
    String version = App.class.getPackage().getImplementationVersion();
    String resource = "/software/amazon/awscdk/aws-cdk-lib@" + version + ".jsii.tgz";
    try (InputStream raw = App.class.getResourceAsStream(resource)) {
      assertThat(raw).as(resource).isNotNull();
      try (var tar =
          new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(raw)))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          if (entry.getName().equals("package/recommended-feature-flags.json")) {
            return tar.readAllBytes();
          }
        }
      }
    }
    throw new IllegalStateException("no recommended-feature-flags.json in " + resource);
  }
}
