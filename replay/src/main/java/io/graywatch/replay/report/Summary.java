package io.graywatch.replay.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.harness.CaseOutcome;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * summary.json: how well an algorithm did on a corpus, scored as the corpus FORMAT.md says.
 * Without labels every truth-dependent field is null.
 */
@JsonPropertyOrder({"algorithm", "cases", "bad", "good", "intercepted", "truePositives", "falsePositives", "falseNegatives",
        "precision", "recall", "f1", "ttiMedianSeconds", "ttiP90Seconds", "secondsElapsed"})
public record Summary(String algorithm, int cases, Integer bad, Integer good, int intercepted, Integer truePositives,
                      Integer falsePositives, Integer falseNegatives, Double precision, Double recall, Double f1,
                      Double ttiMedianSeconds, Double ttiP90Seconds, double secondsElapsed) {

    /**
     * Cases without a label count in {@code cases} and {@code intercepted} only. Precision is
     * intercepted bad / intercepted labelled cases, recall intercepted bad / bad, and time to
     * intercept decidedAt − max(onset, first batch) over the intercepted bad cases.
     *
     * @param labels null when the run had no labels
     */
    public static Summary score(String algorithm, List<CaseOutcome> outcomes, Map<String, Label> labels, double secondsElapsed) {
        int intercepted = (int) outcomes.stream().filter(CaseOutcome::intercepted).count();
        double seconds = Math.round(secondsElapsed * 100) / 100.0;
        if (labels == null) return new Summary(algorithm, outcomes.size(), null, null, intercepted, null, null, null, null, null, null, null, null, seconds);
        int bad = 0, good = 0, tp = 0, fp = 0, fn = 0;
        List<Double> tti = new ArrayList<>();
        for (CaseOutcome o : outcomes) {
            Label l = labels.get(o.caseId());
            if (l == null) continue;
            if (l.bad()) {
                bad++;
                if (o.intercepted()) {
                    tp++;
                    tti.add((double) timeToIntercept(o, l));
                } else fn++;
            } else {
                good++;
                if (o.intercepted()) fp++;
            }
        }
        Double precision = tp + fp == 0 ? null : (double) tp / (tp + fp);
        Double recall = bad == 0 ? null : (double) tp / bad;
        Double f1 = precision == null || recall == null ? null : precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
        Collections.sort(tti);
        return new Summary(algorithm, outcomes.size(), bad, good, intercepted, tp, fp, fn, precision, recall, f1,
                quantile(tti, 0.5), quantile(tti, 0.9), seconds);
    }

    /** Seconds from when the fault showed (its onset, or the first batch when it showed before or is unknown) to the first FAIL. */
    static long timeToIntercept(CaseOutcome intercepted, Label l) {
        long from = l.onset() == null ? intercepted.firstBatchAt() : Math.max(l.onset(), intercepted.firstBatchAt());
        return intercepted.decidedAt() - from;
    }

    /** Linear interpolation between order statistics (the usual definition; the median of an even count is the mean of the middle two). */
    static Double quantile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) return null;
        double pos = q * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.size() - 1);
        return Math.round((sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo))) * 1000) / 1000.0;
    }

    public void write(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }
}
