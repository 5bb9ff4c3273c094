package io.graywatch.replay;

import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.Judge;
import io.graywatch.replay.corpus.CaseProblem;
import io.graywatch.replay.corpus.CaseReader;
import io.graywatch.replay.corpus.ReleaseCase;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.generate.CorpusGenerator;
import io.graywatch.replay.harness.CaseOutcome;
import io.graywatch.replay.harness.FingerprintLogGrouping;
import io.graywatch.replay.harness.LogGrouping;
import io.graywatch.replay.harness.ReplayHarness;
import io.graywatch.replay.harness.ReplayRun;
import io.graywatch.replay.report.Chart;
import io.graywatch.replay.report.Comparison;
import io.graywatch.replay.report.HtmlReport;
import io.graywatch.replay.report.Summary;
import io.graywatch.replay.report.Trace;
import io.graywatch.replay.report.Verdicts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays every release of a corpus through a detection algorithm on a simulated clock, round by round, "
                + "seeing only the data up to each round (no peeking), and scores it against the labels.",
                "Writes DIR/verdicts.csv, DIR/summary.json and DIR/report.html. A malformed case is reported with its file and line and skipped.",
                "With --trace and one case folder, prints that case's every round instead: the verdict and each finding with its numbers."})
public class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CORPUS", description = "corpus folder (see the corpus FORMAT.md), or one case folder")
    Path corpus;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels.csv with the truth (default: CORPUS/labels.csv when it exists; with --trace, else the one beside the case folder)")
    Path labels;

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "graywatch", description = "graywatch, kayenta or threshold (default: ${DEFAULT-VALUE})")
    String algorithm;

    @Option(names = "--compare", paramLabel = "FILE", description = "another run's verdicts.csv: list the cases whose outcome changed")
    Path compare;

    @Option(names = "--out", paramLabel = "DIR", description = "folder for verdicts.csv, summary.json and report.html (required unless --trace)")
    Path out;

    @Option(names = "--trace", description = "replay one case folder and print every round: verdict, reason, each finding (suspicions too) with its evidence; writes no files")
    boolean trace;

    @Option(names = "--round-seconds", paramLabel = "N", defaultValue = "0", description = "seconds between rounds, the guard's analysis interval (default: a minute, as the server guards; a recording's own rounds; each case's stepSeconds when coarser)")
    long roundSeconds;

    @Option(names = "--threads", paramLabel = "N", description = "cases replayed at once (default: the number of cores)")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        Supplier<Judge> judges;
        try {
            judges = Algorithms.byName(algorithm);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!Files.isDirectory(corpus)) throw new CommandLine.ParameterException(spec.commandLine(), "corpus " + corpus + " is not a folder");
        if (roundSeconds < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--round-seconds must be 0 (the default: a minute, or each case's stepSeconds when coarser) or more, got " + roundSeconds);
        if (trace && (out != null || compare != null))
            throw new CommandLine.ParameterException(spec.commandLine(), "--trace prints one case's rounds and writes no files: drop --out and --compare");
        if (!trace && out == null) throw new CommandLine.ParameterException(spec.commandLine(), "--out DIR is required (or --trace with one case folder)");
        if (trace && !Files.isRegularFile(corpus.resolve("case.json")))
            throw new CommandLine.ParameterException(spec.commandLine(), "--trace replays one case: give a case folder (one holding case.json), e.g. "
                    + corpus.resolve("case-00001") + "; " + corpus + " has no case.json");
        // a traced case folder usually sits in its corpus, beside the corpus's labels
        Path labelFile = labels != null ? labels : labelsIn(corpus);
        if (labelFile == null && trace) labelFile = labelsIn(corpus.toAbsolutePath().getParent());
        Map<String, Label> truth = null;
        Map<String, Verdicts.Row> other = null;
        try {
            if (labelFile != null) truth = Label.read(labelFile);
            if (compare != null) other = Verdicts.read(compare);
        } catch (CaseProblem p) {
            throw new CommandLine.ParameterException(spec.commandLine(), p.describe());
        }
        Supplier<LogGrouping> grouping = FingerprintLogGrouping::new;
        ReplayHarness harness = new ReplayHarness(GuardConfig.defaults(), grouping, roundSeconds);
        if (trace) return trace(harness, judges.get(), truth, labelFile);
        Files.createDirectories(out);
        Map<String, Label> labelMap = truth;
        Progress progress = new Progress(err, "replay " + algorithm);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ReplayRun.Result<Chart> result = ReplayRun.run(corpus, harness, judges, n, progress,
                (c, o) -> labelMap == null ? null : Chart.forMistake(c, o, labelMap.get(c.id()), grouping));
        progress.finish();
        List<CaseOutcome> outcomes = result.replayed().stream().map(ReplayRun.Replayed::outcome).toList();
        if (truth != null) warnUnlabelled(err, outcomes, truth);
        Summary summary = Summary.score(algorithm, outcomes, truth, result.secondsElapsed());
        List<Comparison.Change> changes = other == null ? null : Comparison.changes(outcomes, other, truth);
        Verdicts.write(out.resolve("verdicts.csv"), outcomes);
        summary.write(out.resolve("summary.json"));
        CorpusGenerator.Annex annex = CorpusGenerator.Annex.read(labelFile);
        HtmlReport.write(out.resolve("report.html"), new HtmlReport.Input(corpus.toString(), summary, result.replayed(), truth, result.skipped(),
                compare == null ? null : compare.toString(), changes, annex.notes(), annex.tags()));
        PrintStream o = System.out;
        o.println(line(summary));
        if (!result.skipped().isEmpty()) o.println(result.skipped().size() + " malformed cases skipped (listed above and in the report)");
        if (changes != null) o.println(changes.size() + " cases changed outcome since " + compare);
        o.println("wrote " + out.resolve("verdicts.csv") + ", " + out.resolve("summary.json") + ", " + out.resolve("report.html"));
        return 0;
    }

    private static Path labelsIn(Path dir) {
        return dir != null && Files.isRegularFile(dir.resolve("labels.csv")) ? dir.resolve("labels.csv") : null;
    }

    private int trace(ReplayHarness harness, Judge judge, Map<String, Label> truth, Path labelFile) {
        PrintWriter o = spec.commandLine().getOut();
        CaseReader.Loaded loaded;
        try {
            loaded = CaseReader.read(corpus);
        } catch (CaseProblem p) {
            spec.commandLine().getErr().println("cannot replay " + p.describe());
            return 1;
        }
        for (String w : loaded.warnings()) spec.commandLine().getErr().println(corpus.getFileName() + ": " + w);
        ReleaseCase c = loaded.releaseCase();
        Trace t = new Trace(o, c, truth == null ? null : truth.get(c.id()), CorpusGenerator.Annex.read(labelFile).notes().get(c.id()));
        t.finish(harness.replay(c, judge, t));
        return 0;
    }

    private static void warnUnlabelled(PrintStream err, List<CaseOutcome> outcomes, Map<String, Label> truth) {
        Set<String> ids = new HashSet<>();
        int unlabelled = 0;
        for (CaseOutcome o : outcomes) {
            ids.add(o.caseId());
            if (!truth.containsKey(o.caseId())) unlabelled++;
        }
        long extra = truth.keySet().stream().filter(id -> !ids.contains(id)).count();
        if (unlabelled > 0) err.println(unlabelled + " replayed cases have no label: counted in cases and intercepted only");
        if (extra > 0) err.println(extra + " labelled cases were not replayed (absent or skipped)");
    }

    static String line(Summary s) {
        if (s.bad() == null)
            return String.format(Locale.ROOT, "%s: %d cases, %d intercepted (no labels), %.1f s", s.algorithm(), s.cases(), s.intercepted(), s.secondsElapsed());
        return String.format(Locale.ROOT, "%s: %d cases (%d bad, %d good), %d intercepted: TP %d FP %d FN %d, precision %s recall %s F1 %s, "
                        + "time to intercept median %s p90 %s, %.1f s", s.algorithm(), s.cases(), s.bad(), s.good(), s.intercepted(), s.truePositives(),
                s.falsePositives(), s.falseNegatives(), fmt(s.precision()), fmt(s.recall()), fmt(s.f1()), secs(s.ttiMedianSeconds()), secs(s.ttiP90Seconds()),
                s.secondsElapsed());
    }

    private static String fmt(Double v) { return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v); }

    private static String secs(Double v) { return v == null ? "-" : String.format(Locale.ROOT, "%.0f s", v); }
}
