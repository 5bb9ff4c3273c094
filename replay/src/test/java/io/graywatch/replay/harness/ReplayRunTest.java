package io.graywatch.replay.harness;

import io.graywatch.core.funnel.GraywatchJudge;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.corpus.CaseReader;
import io.graywatch.replay.generate.CorpusGenerator;
import io.graywatch.replay.generate.GeneratorSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayRunTest {
    @TempDir
    Path dir;

    /** The funnel, except that it throws on the app named, as a bug that one case's data runs into would. */
    private record BrokenOn(String app) implements Judge {
        public String algorithm() { return "graywatch"; }

        public String version() { return GraywatchJudge.VERSION; }

        public RoundResult judge(GuardInput in, GuardState state) {
            if (in.release().app().equals(app)) throw new IllegalStateException("no samples left to judge");
            return new GraywatchJudge().judge(in, state);
        }
    }

    @Test
    void aCaseTheGuardFailsOnIsReportedAndCountedAsNotInterceptedWhileTheRunGoesOn() throws Exception {
        Path corpus = dir.resolve("corpus");
        CorpusGenerator.write(corpus, GeneratorSettings.of(4, 7), 1, n -> { });
        String app = CaseReader.read(corpus.resolve("case-00002")).releaseCase().app();
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        ReplayRun.Listener listener = new ReplayRun.Listener() {
            public void progress(int done, int total) { }

            public void warning(String message) { warnings.add(message); }
        };
        ReplayRun.Result<Void> broken = ReplayRun.run(corpus, ReplayHarness.defaults(), () -> new BrokenOn(app), 2, listener, (c, o) -> null);
        ReplayRun.Result<Void> whole = ReplayRun.run(corpus, ReplayHarness.defaults(), GraywatchJudge::new, 2, listener, (c, o) -> null);

        assertThat(broken.replayed()).hasSize(4);
        assertThat(broken.skipped()).isEmpty();
        for (int i = 0; i < 4; i++) {
            CaseOutcome o = broken.replayed().get(i).outcome();
            if (o.caseId().equals("case-00002") || !whole.replayed().get(i).outcome().equals(o)) {
                // every case of that app (only case-00002, unless another drew the same name) fails the guard
                assertThat(o.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
                assertThat(o.decidedAt()).isNull();
                assertThat(o.reason()).startsWith("the guard failed: IllegalStateException: no samples left to judge at ")
                        .contains("BrokenOn.judge");
            }
        }
        assertThat(warnings).anyMatch(w -> w.startsWith("case-00002: the guard failed: IllegalStateException: no samples left to judge at ")
                && w.endsWith("; counted as not intercepted"));
    }
}
