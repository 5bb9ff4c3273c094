package io.graywatch.replay.report;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.corpus.RecordedGuard;
import io.graywatch.replay.corpus.ReleaseCase;
import io.graywatch.replay.harness.CaseOutcome;
import io.graywatch.replay.harness.ReplayHarness;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;

/**
 * One case's replay, round by round, as text: what the guard held each round and every finding
 * behind it with its numbers, including suspicions still short of their votes. This is how one
 * asks why a case was (or was not) intercepted, and when. Quiet rounds in a row (no finding, the
 * same verdict and reason) are folded into one line so that an hour of PASS stays readable.
 * Times are offsets from the first batch, with the Unix second beside them for reading the case's
 * own files.
 */
public final class Trace implements ReplayHarness.RoundListener {
    private final PrintWriter out;
    private final ReleaseCase c;
    private final Label label;
    private Quiet quiet;

    private record Quiet(long from, long to, int batches, int rounds, String verdict, String reason) {
    }

    /**
     * @param label the truth about the case, or null
     * @param note  how the case was generated (the corpus annex), or null
     */
    public Trace(PrintWriter out, ReleaseCase c, Label label, String note) {
        this.out = out;
        this.c = c;
        this.label = label;
        out.printf(Locale.ROOT, "case %s, app %s, %s -> %s, %d instances, a sample every %d s%n", c.id(), c.app(), c.fromVersion(), c.toVersion(),
                c.instances().size(), c.stepSeconds());
        for (Batch b : c.batches())
            out.printf(Locale.ROOT, "  batch %d at %s%s: %s%n", b.index(), at(b.at()), b.preRelease() ? " (pre-release, no user traffic)" : "",
                    String.join(", ", b.instances()));
        out.printf(Locale.ROOT, "  release ends at %s%n", at(c.end()));
        if (label != null)
            out.printf(Locale.ROOT, "  labelled %s%s%n", label.bad() ? "bad" : "good", label.onset() == null ? "" : ", the fault shows at " + at(label.onset()));
        if (note != null) out.println("  " + note);
    }

    @Override
    public void round(RecordedGuard.Round round, RoundResult r) {
        int batches = 0;
        for (Batch b : c.batches()) if (b.at() <= round.at() && batches < round.batches()) batches++;
        if (r.findings().isEmpty()) {
            String verdict = r.verdict().name();
            if (quiet != null && quiet.batches == batches && quiet.verdict.equals(verdict) && Objects.equals(quiet.reason, r.reason())) {
                quiet = new Quiet(quiet.from, r.at(), quiet.batches, quiet.rounds + 1, verdict, r.reason());
                return;
            }
            flushQuiet();
            quiet = new Quiet(r.at(), r.at(), batches, 1, verdict, r.reason());
            return;
        }
        flushQuiet();
        // one finding's sentence is usually the round's reason too; it is printed once, under the finding
        boolean sameSentence = r.findings().size() == 1 && r.reason().contains(r.findings().get(0).reason());
        out.printf(Locale.ROOT, "%s  %d batch%s  %s%s%n", at(r.at()), batches, batches == 1 ? "" : "es", r.verdict(), sameSentence ? "" : "  " + r.reason());
        for (Finding f : r.findings()) {
            out.printf(Locale.ROOT, "    %-4s %s [%s] %s%n", f.severity(), f.key(), f.stage(), f.reason());
            if (!f.instances().isEmpty()) out.printf(Locale.ROOT, "         instances: %s%n", String.join(", ", f.instances()));
            if (!f.evidence().isEmpty()) out.printf(Locale.ROOT, "         %s%n", Html.evidence(f.evidence()));
        }
    }

    /** The last quiet rounds and the outcome, with the time to intercept when the truth is known. */
    public void finish(CaseOutcome o) {
        flushQuiet();
        StringBuilder sb = new StringBuilder(o.intercepted() ? "intercepted at " + at(o.decidedAt()) : "not intercepted: " + o.verdict() + " when the release ended");
        sb.append(" after ").append(o.rounds()).append(o.rounds() == 1 ? " round" : " rounds");
        if (label != null) {
            if (!label.bad()) sb.append(o.intercepted() ? ": a false alarm" : ": right, the case is good");
            else if (!o.intercepted()) sb.append(": a miss");
            else if (label.onset() != null) sb.append(": ").append(o.decidedAt() - label.onset()).append(" s after the fault showed");
        }
        out.println(sb);
        out.flush();
    }

    private void flushQuiet() {
        if (quiet == null) return;
        String when = quiet.rounds == 1 ? at(quiet.from) : at(quiet.from) + " to " + at(quiet.to) + " (" + quiet.rounds + " rounds)";
        out.printf(Locale.ROOT, "%s  %d batch%s  %s  %s%n", when, quiet.batches, quiet.batches == 1 ? "" : "es", quiet.verdict,
                quiet.reason == null || quiet.reason.isBlank() ? "no finding" : quiet.reason);
        quiet = null;
    }

    private String at(long t) {
        long d = t - c.firstBatchAt(), a = Math.abs(d);
        return String.format(Locale.ROOT, "%s%dm%02ds (%d)", d < 0 ? "-" : "+", a / 60, a % 60, t);
    }
}
