package io.graywatch.server.testing;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.FindingDetector;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.verdict.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A judge that returns the verdicts a test scripts per app, with findings shaped like the real
 * funnel's, and counts rounds in its state the way a vote would. It remembers every input and
 * state it was given, so tests can check what the guard was shown.
 */
public final class ScriptedJudge implements Judge {
    public record Call(GuardInput input, GuardState state) {
    }

    private final Map<String, Function<GuardInput, Verdict>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<Call>> calls = new ConcurrentHashMap<>();
    private final Map<String, FindingDetector> detectors = new ConcurrentHashMap<>();

    @Override
    public String algorithm() {
        return "scripted";
    }

    @Override
    public String version() {
        return "1";
    }

    /** The verdict for each round of the app's releases; PASS when not scripted. */
    public void script(String app, Function<GuardInput, Verdict> script) {
        scripts.put(app, script);
    }

    /** Fails rounds from the given batch on, passes the others. */
    public void failFromBatch(String app, int batch) {
        script(app, in -> in.release().currentBatch(in.now()).index() >= batch ? Verdict.FAIL : Verdict.PASS);
    }

    /** Adds what a real detector finds in each round's input to the scripted findings of the app's rounds. */
    public void alsoReport(String app, FindingDetector detector) {
        detectors.put(app, detector);
    }

    public List<Call> calls(String app) {
        return List.copyOf(calls.getOrDefault(app, List.of()));
    }

    @Override
    public RoundResult judge(GuardInput input, GuardState state) {
        String app = input.release().app();
        calls.computeIfAbsent(app, k -> Collections.synchronizedList(new ArrayList<>())).add(new Call(input, state));
        Verdict verdict = scripts.getOrDefault(app, in -> Verdict.PASS).apply(input);
        if (verdict == null) throw new IllegalStateException("the script has no verdict");
        List<Finding> findings = new ArrayList<>();
        String reason = switch (verdict) {
            case PASS -> "no metric moved in the bad direction";
            case INCONCLUSIVE -> "too little traffic on the release group to judge";
            case WARN, FAIL -> {
                Map<String, Double> evidence = new LinkedHashMap<>();
                evidence.put("releaseMean", 4.1);
                evidence.put("referenceMean", 0.3);
                evidence.put("pValue", 0.001);
                evidence.put("votes", 2.0);
                // a stage that could not compute its number says so with NaN, as the funnel's do
                evidence.put("did", Double.NaN);
                String sentence = "error rate 4.1% on the release group vs 0.3% on the reference group";
                findings.add(new Finding("metric:error_rate", Finding.Source.METRIC, verdict, "error_rate", "vote", sentence,
                        evidence, List.copyOf(input.releaseGroup())));
                yield sentence;
            }
        };
        FindingDetector detector = detectors.get(app);
        if (detector != null) findings.addAll(detector.detect(input));
        Map<String, List<Boolean>> suspicion = new LinkedHashMap<>(state.suspicion());
        List<Boolean> votes = new ArrayList<>(suspicion.getOrDefault("metric:error_rate", List.of()));
        votes.add(verdict == Verdict.WARN || verdict == Verdict.FAIL);
        suspicion.put("metric:error_rate", votes);
        return new RoundResult(input.now(), verdict, reason, findings, new GuardState(state.rounds() + 1, suspicion));
    }
}
