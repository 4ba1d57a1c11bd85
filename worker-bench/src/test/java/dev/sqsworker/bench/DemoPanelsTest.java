package dev.sqsworker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoPanelsTest {

  @Test
  void computesThePanelsQueriesFromATimeline(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("timeline.csv");
    Files.writeString(
        csv,
        String.join(
            "\n",
            "millis,name,tags,value",
            "0,sqsworker.messages.succeeded,queue=q,0.0",
            "0,sqsworker.handler.duration.count,queue=q,0.0",
            "0,sqsworker.handler.duration.bucket,queue=q;le=0.1,0.0",
            "0,sqsworker.handler.duration.bucket,queue=q;le=0.5,0.0",
            "0,sqsworker.messages.in.flight,queue=q,3.0",
            "2000,sqsworker.messages.succeeded,queue=q,20.0",
            "2000,sqsworker.handler.duration.count,queue=q,100.0",
            "2000,sqsworker.handler.duration.bucket,queue=q;le=0.1,50.0",
            "2000,sqsworker.handler.duration.bucket,queue=q;le=0.5,100.0",
            "2000,sqsworker.messages.in.flight,queue=q,5.0",
            ""));
    DemoPanels panels = DemoPanels.read(csv);

    assertThat(panels.seconds()).containsExactly(0, 2);
    // 20 in the 2 s window: 10 per second.
    assertThat(panels.rate("sqsworker.messages.succeeded", t -> true)).containsExactly(0, 10);
    assertThat(panels.sum("sqsworker.messages.in.flight", t -> true)).containsExactly(3, 5);
    double[] p50 = panels.quantile(0.5, "sqsworker.handler.duration", t -> true);
    double[] p99 = panels.quantile(0.99, "sqsworker.handler.duration", t -> true);
    assertThat(p50[0]).isNaN();
    assertThat(p50[1]).isCloseTo(0.1, within(1e-9));
    // The 99th of 100 lies 49/50 into the 0.1–0.5 bucket.
    assertThat(p99[1]).isCloseTo(0.1 + 0.4 * 49 / 50, within(1e-9));
  }
}
