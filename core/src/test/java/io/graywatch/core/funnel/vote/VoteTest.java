package io.graywatch.core.funnel.vote;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.vote.Vote.Strength;
import io.graywatch.core.funnel.vote.Vote.Suspicion;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VoteTest {
    final Vote vote = new Vote(2, 3);

    static Suspicion suspicion(String key, Verdict most, Strength strength) {
        return new Suspicion(new Finding(key, Finding.Source.METRIC, most, key, "attribution", key + " is up", Map.of("did", 1.0),
                List.of("a")), strength);
    }

    /** Runs rounds in which the key is suspicious or not; returns the severity of each suspicious round (null otherwise). */
    List<Verdict> rounds(Strength strength, boolean... suspicious) {
        GuardState state = GuardState.initial();
        List<Verdict> out = new ArrayList<>();
        for (boolean s : suspicious) {
            Vote.Outcome o = vote.apply(state, s ? List.of(suspicion("metric:x", Verdict.FAIL, strength)) : List.of());
            out.add(o.findings().isEmpty() ? null : o.findings().get(0).severity());
            state = o.state();
        }
        return out;
    }

    @Test
    void twoOfThreeRoundsConfirm() {
        assertThat(rounds(Strength.NORMAL, true, true)).containsExactly(Verdict.WARN, Verdict.FAIL);
        assertThat(rounds(Strength.NORMAL, true, false, true)).containsExactly(Verdict.WARN, null, Verdict.FAIL);
        assertThat(rounds(Strength.NORMAL, true, false, false, true)).containsExactly(Verdict.WARN, null, null, Verdict.WARN);
    }

    @Test
    void overwhelmingEvidenceFailsAtOnceAndWeakEvidenceWaitsLonger() {
        assertThat(rounds(Strength.STRONG, true)).containsExactly(Verdict.FAIL);
        assertThat(rounds(Strength.WEAK, true, true, true)).containsExactly(Verdict.WARN, Verdict.WARN, Verdict.FAIL);
    }

    @Test
    void aSuspicionThatMayOnlyWarnNeverFails() {
        GuardState state = GuardState.initial();
        for (int i = 0; i < 3; i++) {
            Vote.Outcome o = vote.apply(state, List.of(suspicion("log:g1", Verdict.WARN, Strength.STRONG)));
            assertThat(o.findings().get(0).severity()).isEqualTo(Verdict.WARN);
            state = o.state();
        }
    }

    @Test
    void stateKeepsOnlyTheWindowAndForgetsQuietKeys() {
        GuardState state = GuardState.initial();
        for (int i = 0; i < 6; i++) state = vote.apply(state, List.of(suspicion("metric:x", Verdict.FAIL, Strength.NORMAL))).state();
        assertThat(state.rounds()).isEqualTo(6);
        assertThat(state.suspicion().get("metric:x")).hasSize(4);
        for (int i = 0; i < 4; i++) state = vote.apply(state, List.of()).state();
        assertThat(state.suspicion()).isEmpty();
    }

    @Test
    void findingCarriesTheVoteAndSaysWhatIsMissing() {
        Vote.Outcome o = vote.apply(GuardState.initial(), List.of(suspicion("metric:x", Verdict.FAIL, Strength.NORMAL)));
        Finding f = o.findings().get(0);
        assertThat(f.evidence()).containsEntry("votes", 1.0).containsEntry("votesNeeded", 2.0).containsEntry("voteWindow", 3.0)
                .containsEntry("did", 1.0);
        assertThat(f.reason()).isEqualTo("metric:x is up (suspicious in 1 of the last 3 rounds, 2 needed to fail)");
        Finding confirmed = vote.apply(o.state(), List.of(suspicion("metric:x", Verdict.FAIL, Strength.NORMAL))).findings().get(0);
        assertThat(confirmed.stage()).isEqualTo("vote");
        assertThat(confirmed.reason()).isEqualTo("metric:x is up");
    }
}
