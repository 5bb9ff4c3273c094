package io.graywatch.server.demo;

import io.graywatch.server.GraywatchServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class DemoSettingsTest {
    private static final DemoSettings DEFAULTS = new DemoSettings(true, 0, null, null, null, null);

    @Test
    void theDefaultWindowLeavesTwoRoundsAfterTheFirstOneThatCanJudge() {
        // 8 s warm-up, three samples a round (4 s) apart, then two rounds more; the demo scrapes every 2 s
        assertThat(DEFAULTS.leastObservation(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(28));
        assertThat(DEFAULTS.observation()).isGreaterThanOrEqualTo(DEFAULTS.leastObservation(Duration.ofSeconds(2)));
    }

    @Test
    void scrapesFurtherApartThanRoundsSetTheGrid() {
        assertThat(DEFAULTS.leastObservation(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(8 + 3 * 10 + 2 * 4));
    }

    @Test
    void aWindowWithRoomForOnlyOneJudgeableRoundIsRefusedWithWhatItNeeds() {
        DemoSettings tight = new DemoSettings(true, 12, Duration.ofSeconds(20), Duration.ofSeconds(4), null, Duration.ofSeconds(8));
        assertThatThrownBy(() -> new DemoScenario(tight, null, null, null, null, Duration.ofSeconds(1)))
                .isInstanceOf(DemoWindowTooShort.class)
                .hasMessage("graywatch.demo.observation must be at least 28 s with a 8 s warm-up, a round every 4 s and a scrape every 1 s"
                        + " (the warm-up, 3 samples, and two rounds more), got 20 s");
        assertThatThrownBy(() -> new DemoScenario(DEFAULTS, null, null, null, null, Duration.ofSeconds(5)))
                .hasMessageContaining("must be at least 31 s");
    }

    @Test
    void aDemoStartedWithTooShortAWindowSaysWhatToChangeWithoutAStackTrace(@TempDir Path dataDir, CapturedOutput output) {
        assertThatThrownBy(() -> GraywatchServer.start("--graywatch.demo.enabled=true", "--server.port=0", "--graywatch.data-dir=" + dataDir,
                "--graywatch.scraper.interval=1s", "--graywatch.demo.observation=12s")).isInstanceOf(RuntimeException.class);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("graywatch.demo.observation must be at least 28 s")
                .contains("Lengthen --graywatch.demo.observation")
                .doesNotContain("\tat io.graywatch");
    }
}
