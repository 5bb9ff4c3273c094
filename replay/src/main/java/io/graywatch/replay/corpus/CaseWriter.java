package io.graywatch.replay.corpus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a case folder in the corpus format, byte for byte the same for the same case: fixed
 * field order, {@code \n} line ends, plain decimal numbers, rows in time order.
 */
public final class CaseWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);

    private CaseWriter() {
    }

    public static void write(Path dir, ReleaseCase c) throws IOException {
        Files.createDirectories(dir);
        writeCaseJson(dir.resolve("case.json"), c);
        writeSeries(dir.resolve("series.csv"), c);
        if (!c.logs().isEmpty()) writeLogs(dir.resolve("logs.jsonl"), c.logs());
    }

    private static void writeCaseJson(Path file, ReleaseCase c) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        root.put("id", c.id());
        root.put("app", c.app());
        root.put("stepSeconds", c.stepSeconds());
        ObjectNode metrics = root.putObject("metrics");
        for (MetricSpec m : c.metrics().values()) {
            ObjectNode o = metrics.putObject(m.name());
            o.put("kind", m.kind().id());
            o.put("bad", m.bad().id());
            if (!m.unit().isEmpty()) o.put("unit", m.unit());
            // a recorded app's own gates: written only where they differ from what a reader would infer
            if (m.role() != MetricSpec.of(m.name(), m.kind(), m.bad()).role()) o.put("role", m.role().name().toLowerCase(Locale.ROOT));
            MetricSpec inferred = MetricSpec.of(m.name(), m.kind(), m.bad(), m.unit(), m.role());
            if (m.minRelativeEffect() != inferred.minRelativeEffect()) o.put("minRelativeEffect", m.minRelativeEffect());
            // a default in percentage points is left out, for the reader to scale to the values as the guard did
            if (m.minAbsoluteEffectGiven()) o.put("minAbsoluteEffect", m.minAbsoluteEffect());
        }
        ObjectNode instances = root.putObject("instances");
        c.instances().forEach((id, version) -> instances.putObject(id).put("version", version));
        ObjectNode release = root.putObject("release");
        release.put("fromVersion", c.fromVersion());
        release.put("toVersion", c.toVersion());
        release.put("start", c.start());
        ArrayNode batches = release.putArray("batches");
        for (Batch b : c.batches()) {
            ObjectNode o = batches.addObject();
            o.put("at", b.at());
            ArrayNode ids = o.putArray("instances");
            b.instances().forEach(ids::add);
            if (b.preRelease()) o.put("preRelease", true);
        }
        release.put("end", c.end());
        if (c.windowFrom() != Long.MIN_VALUE && c.windowTo() != Long.MAX_VALUE) {
            ObjectNode window = root.putObject("window");
            window.put("from", c.windowFrom());
            window.put("to", c.windowTo());
        }
        if (c.guard() != null) writeGuard(root.putObject("guard"), c.guard());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); JsonGenerator g = JSON.getFactory().createGenerator(w)) {
            // a pretty printer keeps its nesting depth: each file needs its own, or threads garble each other's indentation
            g.setPrettyPrinter(PRETTY.createInstance());
            JSON.writeTree(g, root);
            g.flush();
            w.write('\n');
        }
    }

    private static void writeGuard(ObjectNode o, RecordedGuard g) {
        o.put("algorithm", g.algorithm());
        o.put("algorithmVersion", g.algorithmVersion());
        o.put("analysisIntervalSeconds", g.analysisSeconds());
        o.put("warmupSeconds", g.warmupSeconds());
        o.put("historySeconds", g.historySeconds());
        o.put("voteK", g.voteK());
        o.put("voteN", g.voteN());
        ArrayNode dangerous = o.putArray("dangerousExceptions");
        g.dangerousExceptions().forEach(dangerous::add);
        if (g.logBucketSeconds() > 0) o.put("logBucketSeconds", g.logBucketSeconds());
        o.put("successRateFloorPercent", g.successRateFloorPercent());
        ArrayNode rounds = o.putArray("rounds");
        for (RecordedGuard.Round r : g.rounds()) {
            ObjectNode round = rounds.addObject().put("at", r.at()).put("batches", r.batches());
            if (r.freshVote()) round.put("freshVote", true);
        }
    }

    /** Rows in time order, then by instance and metric as case.json lists them: a scrape's order. */
    private static void writeSeries(Path file, ReleaseCase c) throws IOException {
        List<String> instances = new ArrayList<>(c.instances().keySet());
        List<String> metrics = new ArrayList<>(c.metrics().keySet());
        int k = instances.size() * metrics.size();
        Series[] series = new Series[k];
        String[] prefix = new String[k];
        int[] pos = new int[k];
        for (int i = 0; i < instances.size(); i++) {
            for (int j = 0; j < metrics.size(); j++) {
                series[i * metrics.size() + j] = c.observations().series(instances.get(i), metrics.get(j));
                prefix[i * metrics.size() + j] = "," + Csv.field(instances.get(i)) + "," + Csv.field(metrics.get(j)) + ",";
            }
        }
        StringBuilder sb = new StringBuilder(1 << 16);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("timestamp,instance,metric,value\n");
            while (true) {
                long t = Long.MAX_VALUE;
                for (int s = 0; s < k; s++) if (pos[s] < series[s].size()) t = Math.min(t, series[s].time(pos[s]));
                if (t == Long.MAX_VALUE) break;
                for (int s = 0; s < k; s++) {
                    if (pos[s] < series[s].size() && series[s].time(pos[s]) == t) {
                        sb.append(t).append(prefix[s]);
                        appendNumber(sb, series[s].value(pos[s]++));
                        sb.append('\n');
                    }
                }
                if (sb.length() > 60_000) {
                    w.write(sb.toString());
                    sb.setLength(0);
                }
            }
            w.write(sb.toString());
        }
    }

    private static void writeLogs(Path file, List<LogEvent> events) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LogEvent e : events) {
                ObjectNode o = JSON.createObjectNode();
                o.put("timestamp", e.timestamp());
                o.put("instance", e.instance());
                o.put("level", e.level());
                if (e.logger() != null) o.put("logger", e.logger());
                o.put("message", e.message());
                if (e.stack() != null) o.put("stack", e.stack());
                if (e.count() != 1) o.put("count", e.count());
                w.write(JSON.writeValueAsString(o));
                w.write('\n');
            }
        }
    }

    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /**
     * A plain decimal, empty for a missing value. Values with up to six decimals are written from
     * integers, so the text does not depend on the JDK's double-to-text conversion.
     */
    public static void appendNumber(StringBuilder sb, double v) {
        if (Double.isNaN(v)) return;
        if (Math.abs(v) < 1e12) {
            for (int d = 0; d < POW10.length; d++) {
                long scaled = Math.round(v * POW10[d]);
                if (scaled / (double) POW10[d] == v) {
                    if (scaled < 0) {
                        sb.append('-');
                        scaled = -scaled;
                    }
                    sb.append(scaled / POW10[d]);
                    if (d > 0) {
                        String frac = Long.toString(scaled % POW10[d] + POW10[d]).substring(1);
                        sb.append('.').append(frac);
                    }
                    return;
                }
            }
        }
        sb.append(BigDecimal.valueOf(v).stripTrailingZeros().toPlainString());
    }

    /** The corpus's labels.csv. */
    public static void writeLabels(Path file, Map<String, Label> labels) throws IOException {
        StringBuilder sb = new StringBuilder("case,truth,onset\n");
        for (Label l : labels.values())
            sb.append(Csv.field(l.caseId())).append(',').append(l.bad() ? "bad" : "good").append(',').append(l.onset() == null ? "" : l.onset()).append('\n');
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
}
