package io.graywatch.server.demo;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoSettingsTest {

    @Test
    void theDefaultWindowLeavesTwoRoundsAfterTheFirstOneThatCanJudge() {
        DemoSettings d = new DemoSettings(true, 0, null, null, null, null);
        // 8 s warm-up, three samples a round (4 s) apart, then two rounds more
        assertThat(d.observation()).isGreaterThanOrEqualTo(Duration.ofSeconds(8 + 3 * 4 + 2 * 4));
    }

    @Test
    void aWindowWithRoomForOnlyOneJudgeableRoundIsRefusedWithWhatItNeeds() {
        assertThatThrownBy(() -> new DemoSettings(true, 12, Duration.ofSeconds(20), Duration.ofSeconds(4), null, Duration.ofSeconds(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("graywatch.demo.observation must be at least 28 s with a 8 s warm-up and a round every 4 s"
                        + " (the warm-up, 3 samples a round apart, and two rounds more), got 20 s");
    }
}
