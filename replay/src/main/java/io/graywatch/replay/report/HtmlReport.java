package io.graywatch.replay.report;

import io.graywatch.core.finding.Finding;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.harness.CaseOutcome;
import io.graywatch.replay.harness.ReplayRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** report.html: one self-contained page (no script, no download) a person reads after a replay. */
public final class HtmlReport {
    /** Charts are drawn for this many mistakes of each kind; the rest are listed without one, to keep the page light. */
    static final int MAX_CHARTS = 200;

    /**
     * @param labels  null without labels
     * @param changes null without {@code --compare}
     * @param notes   optional per-case notes shown beside a mistake (e.g. what a generated case holds), may be empty
     * @param tags    optional per-case tags (e.g. the fault kind of a generated case) to break the results down by, may be empty
     */
    public record Input(String corpus, Summary summary, List<ReplayRun.Replayed<Chart>> replayed, Map<String, Label> labels,
                        List<ReplayRun.Skipped> skipped, String comparedWith, List<Comparison.Change> changes, Map<String, String> notes,
                        Map<String, List<String>> tags) {
    }

    private HtmlReport() {
    }

    public static void write(Path file, Input in) throws IOException {
        StringBuilder sb = new StringBuilder(1 << 16);
        Summary s = in.summary();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Graywatch replay: ").append(Html.esc(s.algorithm()))
                .append("</title>\n<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0}"
                        + "td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}"
                        + "section{border-top:1px solid #ccc;margin-top:1.2em;padding-top:.4em}.muted{color:#666}code{font-size:12px}</style></head><body>\n");
        sb.append("<h1>Replay of <code>").append(Html.esc(in.corpus())).append("</code> with <code>").append(Html.esc(s.algorithm())).append("</code></h1>\n");
        summaryTable(sb, s);
        if (in.labels() == null) sb.append("<p class=\"muted\">No labels: verdicts only, no precision or recall.</p>\n");
        else {
            if (!in.tags().isEmpty()) breakdown(sb, in);
            mistakes(sb, in, true);
            mistakes(sb, in, false);
        }
        if (in.changes() != null) changes(sb, in);
        if (!in.skipped().isEmpty()) {
            sb.append("<h2>Skipped cases (").append(in.skipped().size()).append(")</h2>\n<ul>");
            for (ReplayRun.Skipped k : in.skipped()) sb.append("<li><code>").append(Html.esc(k.problem())).append("</code></li>");
            sb.append("</ul>\n");
        }
        sb.append("</body></html>\n");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static void summaryTable(StringBuilder sb, Summary s) {
        sb.append("<h2>Summary</h2>\n<table><tr><th>algorithm</th><th>cases</th><th>bad</th><th>good</th><th>intercepted</th><th>true positives</th>"
                + "<th>false alarms</th><th>misses</th><th>precision</th><th>recall</th><th>F1</th><th>time to intercept, median</th><th>p90</th><th>seconds</th></tr>\n<tr>");
        for (Object v : new Object[]{s.algorithm(), s.cases(), s.bad(), s.good(), s.intercepted(), s.truePositives(), s.falsePositives(), s.falseNegatives(),
                ratio(s.precision()), ratio(s.recall()), ratio(s.f1()), seconds(s.ttiMedianSeconds()), seconds(s.ttiP90Seconds()), s.secondsElapsed()}) {
            sb.append("<td>").append(v == null ? "–" : Html.esc(String.valueOf(v))).append("</td>");
        }
        sb.append("</tr></table>\n");
    }

    /**
     * Per tag: how many bad cases were caught, how soon, and how many good ones raised a false alarm. The overall median
     * time to intercept mixes faults that show at once with leaks that take a quarter of an hour to stand out: per fault
     * kind is where an algorithm change that makes one of them faster or slower shows.
     */
    private static void breakdown(StringBuilder sb, Input in) {
        Map<String, int[]> byTag = new TreeMap<>();
        Map<String, List<Double>> tti = new HashMap<>();
        for (ReplayRun.Replayed<Chart> r : in.replayed()) {
            Label l = in.labels().get(r.outcome().caseId());
            if (l == null) continue;
            for (String tag : in.tags().getOrDefault(r.outcome().caseId(), List.of())) {
                int[] n = byTag.computeIfAbsent(tag, k -> new int[4]);
                n[l.bad() ? 0 : 2]++;
                if (r.outcome().intercepted()) n[l.bad() ? 1 : 3]++;
                if (r.outcome().intercepted() && l.bad())
                    tti.computeIfAbsent(tag, k -> new ArrayList<>()).add((double) Summary.timeToIntercept(r.outcome(), l));
            }
        }
        sb.append("<h2>Breakdown</h2>\n<table><tr><th>cases with</th><th>bad</th><th>intercepted</th><th>time to intercept, median</th><th>p90</th>"
                + "<th>good</th><th>false alarms</th></tr>\n");
        byTag.forEach((tag, n) -> {
            List<Double> t = tti.getOrDefault(tag, new ArrayList<>());
            Collections.sort(t);
            sb.append("<tr><td>").append(Html.esc(tag)).append("</td><td>").append(n[0]).append("</td><td>").append(n[1])
                    .append("</td><td>").append(orDash(seconds(Summary.quantile(t, 0.5)))).append("</td><td>").append(orDash(seconds(Summary.quantile(t, 0.9))))
                    .append("</td><td>").append(n[2]).append("</td><td>").append(n[3]).append("</td></tr>\n");
        });
        sb.append("</table>\n");
    }

    private static void mistakes(StringBuilder sb, Input in, boolean falseAlarms) {
        List<ReplayRun.Replayed<Chart>> list = in.replayed().stream().filter(r -> {
            Label l = in.labels().get(r.outcome().caseId());
            return l != null && l.bad() != r.outcome().intercepted() && r.outcome().intercepted() == falseAlarms;
        }).toList();
        sb.append("<h2>").append(falseAlarms ? "False alarms" : "Misses").append(" (").append(list.size()).append(")</h2>\n");
        if (list.isEmpty()) sb.append("<p class=\"muted\">None.</p>\n");
        int charts = 0;
        for (ReplayRun.Replayed<Chart> r : list) {
            CaseOutcome o = r.outcome();
            Label l = in.labels().get(o.caseId());
            sb.append("<section><h3><code>").append(Html.esc(o.caseId())).append("</code> ").append(o.verdict()).append("</h3>\n<p>");
            if (o.decidedAt() != null) sb.append("Failed at ").append(when(o.decidedAt(), o.firstBatchAt())).append(". ");
            if (!falseAlarms) sb.append("Fault onset ").append(l.onset() == null ? "unknown" : when(l.onset(), o.firstBatchAt())).append(". ");
            sb.append(Html.esc(o.reason())).append("</p>\n");
            String note = in.notes().get(o.caseId());
            if (note != null) sb.append("<p class=\"muted\">").append(Html.esc(note)).append("</p>\n");
            findings(sb, o.findings());
            if (r.attachment() != null && charts++ < MAX_CHARTS) sb.append(Html.svg(r.attachment())).append('\n');
            sb.append("</section>\n");
        }
    }

    private static void findings(StringBuilder sb, List<Finding> findings) {
        if (findings.isEmpty()) {
            sb.append("<p class=\"muted\">No findings.</p>\n");
            return;
        }
        sb.append("<table><tr><th>severity</th><th>subject</th><th>stage</th><th>reason</th><th>evidence</th></tr>\n");
        for (Finding f : findings) {
            sb.append("<tr><td>").append(f.severity()).append("</td><td>").append(Html.esc(f.subject())).append("</td><td>").append(Html.esc(f.stage()))
                    .append("</td><td>").append(Html.esc(f.reason())).append("</td><td><code>").append(Html.esc(Html.evidence(f.evidence()))).append("</code></td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void changes(StringBuilder sb, Input in) {
        sb.append("<h2>Outcome changed since <code>").append(Html.esc(in.comparedWith())).append("</code> (").append(in.changes().size()).append(")</h2>\n");
        if (in.changes().isEmpty()) {
            sb.append("<p class=\"muted\">No case changed outcome.</p>\n");
            return;
        }
        sb.append("<table><tr><th>case</th><th>effect</th><th>before</th><th>now</th><th>reason now</th></tr>\n");
        for (Comparison.Change c : in.changes()) {
            String before = c.before() == null ? "–" : c.before().verdict() + (c.before().decidedAt() == null ? "" : " at " + Instant.ofEpochSecond(c.before().decidedAt()));
            String now = c.now().verdict() + (c.now().decidedAt() == null ? "" : " at " + Instant.ofEpochSecond(c.now().decidedAt()));
            sb.append("<tr><td><code>").append(Html.esc(c.caseId())).append("</code></td><td>").append(Html.esc(c.effect())).append("</td><td>")
                    .append(Html.esc(before)).append("</td><td>").append(Html.esc(now)).append("</td><td>").append(Html.esc(c.now().reason())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String when(long t, long firstBatch) {
        long d = Math.abs(t - firstBatch);
        return String.format(Locale.ROOT, "%s (%dm%02ds %s the first batch)", Instant.ofEpochSecond(t), d / 60, d % 60, t < firstBatch ? "before" : "after");
    }

    private static String ratio(Double v) { return v == null ? null : String.format(Locale.ROOT, "%.3f", v); }

    private static String seconds(Double v) { return v == null ? null : String.format(Locale.ROOT, "%.0f s", v); }

    private static String orDash(String v) { return v == null ? "–" : v; }
}
