package io.graywatch.replay.harness;

import io.graywatch.core.funnel.GraywatchJudge;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.corpus.CaseReader;
import io.graywatch.replay.corpus.Corpus;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.replay.corpus.ReleaseCase;
import io.graywatch.replay.generate.CorpusGenerator;
import io.graywatch.replay.generate.GeneratorSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Deployment of one replica rolls by replacing its pod: {@code app-v1-a} serves until the switch and stops,
 * {@code app-v2-b} serves from then on (the layout of the corpus format's own example). That is the same
 * release as the pod upgraded in place, under two names, and it must be judged the same: intercepted at the same
 * round when bad, passed when good.
 */
class OneReplicaRolloutTest {
    /** The in-place case with the instance's samples and log lines after the switch under a new pod's name. */
    static ReleaseCase replaced(ReleaseCase c) {
        String pod = c.instances().keySet().iterator().next();
        String oldPod = c.app() + "-v1-a", newPod = c.app() + "-v2-b";
        long at = c.firstBatchAt();
        Observations.Builder obs = Observations.builder();
        c.observations().ofInstance(pod).forEach((metric, s) -> {
            // a sample is stamped at the end of the minute it covers: the one at the switch is the old pod's
            obs.put(oldPod, metric, s.between(Long.MIN_VALUE, at + 1));
            obs.put(newPod, metric, s.between(at + 1, Long.MAX_VALUE));
        });
        List<LogEvent> logs = new ArrayList<>();
        for (LogEvent e : c.logs())
            logs.add(new LogEvent(e.timestamp(), e.timestamp() >= at ? newPod : oldPod, e.level(), e.logger(), e.message(), e.stack(), e.count()));
        Map<String, String> instances = new LinkedHashMap<>();
        instances.put(oldPod, c.fromVersion());
        instances.put(newPod, c.toVersion());
        return new ReleaseCase(c.id(), c.app(), c.stepSeconds(), c.metrics(), instances, c.fromVersion(), c.toVersion(), c.start(),
                List.of(new Batch(1, at, List.of(newPod), false)), c.end(), c.windowFrom(), c.windowTo(), obs.build(), logs);
    }

    @TempDir
    Path dir;

    @Test
    void aPodReplacedUnderANewNameIsJudgedAsTheSamePodUpgradedInPlace() throws Exception {
        // single-instance cases upgraded in place, half of them bad
        CorpusGenerator.write(dir, new GeneratorSettings(24, 11, 0.5, 1, 0, 120, 0.75, 0.4, 0.15, 60, false, GeneratorSettings.Naming.NAMED, 0, false), 2, n -> { });
        ReplayHarness harness = ReplayHarness.defaults();
        int intercepted = 0, passed = 0;
        for (Path caseDir : Corpus.caseDirs(dir)) {
            ReleaseCase inPlace = CaseReader.read(caseDir).releaseCase();
            assertThat(inPlace.instances()).hasSize(1);
            CaseOutcome upgraded = harness.replay(inPlace, new GraywatchJudge());
            CaseOutcome rolled = harness.replay(replaced(inPlace), new GraywatchJudge());
            assertThat(rolled.verdict()).as(inPlace.id() + ": " + rolled.reason()).isEqualTo(upgraded.verdict());
            assertThat(rolled.decidedAt()).as(inPlace.id()).isEqualTo(upgraded.decidedAt());
            if (upgraded.intercepted()) {
                intercepted++;
                // named as the one at fault
                assertThat(rolled.findings()).anySatisfy(f -> assertThat(f.instances()).containsExactly(inPlace.app() + "-v2-b"));
            } else if (upgraded.verdict() == Verdict.PASS) {
                passed++;
            }
        }
        assertThat(intercepted).isGreaterThanOrEqualTo(8);
        assertThat(passed).isGreaterThanOrEqualTo(4);
    }
}
