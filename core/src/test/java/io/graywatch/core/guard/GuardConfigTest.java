package io.graywatch.core.guard;

import io.graywatch.core.metric.MetricRole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardConfigTest {
    @Test
    void defaultsCoverEveryRoleAndTheFunnelSettings() {
        GuardConfig c = GuardConfig.defaults();
        for (MetricRole role : MetricRole.values()) assertThat(c.stage(role)).as(role.name()).isNotNull();
        assertThat(c.stage(MetricRole.ERROR_COUNT).test()).isEqualTo(StageSettings.Test.RATE);
        assertThat(c.stage(MetricRole.LATENCY).model()).isEqualTo(StageSettings.Model.RATIO);
        assertThat(c.stage(MetricRole.ERROR_RATE).model()).isEqualTo(StageSettings.Model.DIFFERENCE);
        assertThat(c.stage(MetricRole.RESOURCE).sst()).isTrue();
        assertThat(c.normalProfile()).isEmpty();
        assertThat(c.afterWindowSeconds()).isEqualTo(900);
        assertThat(c.strongAlpha()).isEqualTo(1e-6);
    }

    @Test
    void withMethodsChangeOneSettingAndKeepTheOthers() {
        StageSettings strict = GuardConfig.defaults().stage(MetricRole.LATENCY).withAlpha(0.001);
        GuardConfig c = GuardConfig.defaults().withVote(3, 5).withStage(MetricRole.LATENCY, strict)
                .withNormalProfile(Map.of("latency_ms", new NormalRange(-0.1, 0.2))).withAfterWindowSeconds(600)
                .withStrongAlpha(1e-8).withWarmupSeconds(30);
        assertThat(c.voteK()).isEqualTo(3);
        assertThat(c.voteN()).isEqualTo(5);
        assertThat(c.stage(MetricRole.LATENCY).alpha()).isEqualTo(0.001);
        assertThat(c.stage(MetricRole.TRAFFIC).alpha()).isEqualTo(0.005);
        assertThat(c.normalProfile().get("latency_ms").contains(0.15)).isTrue();
        assertThat(c.afterWindowSeconds()).isEqualTo(600);
        assertThat(c.strongAlpha()).isEqualTo(1e-8);
        assertThat(c.warmupSeconds()).isEqualTo(30);
    }

    @Test
    void aConfigStoredBeforeTheFunnelSettingsReadsBackWithTheirDefaults() {
        GuardConfig old = new GuardConfig(60, 3600, List.of("NoSuchMethodError"), 2, 3, 0.2, 90, 3, false, null, null, 0, 0, 0);
        assertThat(old.stages()).isEqualTo(GuardConfig.DEFAULT_STAGES);
        assertThat(old.roundSeconds()).isEqualTo(GuardConfig.DEFAULT_ROUND_SECONDS);
        assertThat(old.normalProfile()).isEmpty();
        assertThat(old.strongAlpha()).isEqualTo(GuardConfig.DEFAULT_STRONG_ALPHA);
        assertThat(new GuardConfig(60, 3600, List.of(), 2, 3, 0.2, 90, 3, false)).isEqualTo(GuardConfig.defaults().withDangerousExceptions(List.of()));
    }

    @Test
    void coarserSamplesStretchTheWindowsToHoldAsManySamplesAsAtAMinute() {
        GuardConfig c = GuardConfig.defaults().withHistorySeconds(7200);
        GuardConfig fiveMinutes = c.forStep(300);
        assertThat(fiveMinutes.historySeconds()).isEqualTo(36_000);
        assertThat(fiveMinutes.afterWindowSeconds()).isEqualTo(5 * GuardConfig.DEFAULT_AFTER_WINDOW_SECONDS);
        // the warm-up is the process's and the counts are samples, whatever the step
        assertThat(fiveMinutes.warmupSeconds()).isEqualTo(c.warmupSeconds());
        assertThat(fiveMinutes.minSamples()).isEqualTo(c.minSamples());
        assertThat(fiveMinutes.withHistorySeconds(7200).withAfterWindowSeconds(c.afterWindowSeconds())).isEqualTo(c);
        assertThat(c.forStep(60)).isSameAs(c);
        assertThat(c.forStep(15)).isSameAs(c);
        // fifteen-second samples judged a round every five minutes are five-minute samples
        assertThat(c.withRoundSeconds(300).forStep(15).historySeconds()).isEqualTo(36_000);
    }

    @Test
    void badSettingsAreRefusedWithWhatToFix() {
        assertThatThrownBy(() -> GuardConfig.defaults().withStrongAlpha(0.7)).hasMessageContaining("strongAlpha must be in (0, 0.5)");
        assertThatThrownBy(() -> GuardConfig.defaults().withAfterWindowSeconds(-1)).hasMessageContaining("afterWindowSeconds must be positive");
        assertThatThrownBy(() -> new StageSettings(StageSettings.Test.RANK, StageSettings.Model.RATIO, 0, 0)).hasMessageContaining("alpha must be in (0, 0.5)");
        assertThatThrownBy(() -> new NormalRange(0.5, 0.1)).hasMessageContaining("need low <= high");
    }
}
