package io.graywatch.replay.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads one case folder of a corpus exactly as the corpus FORMAT.md describes it. Unknown JSON
 * fields are ignored; samples and log events of instances or metrics that case.json does not
 * define are left out and reported as warnings; anything else that is wrong makes a
 * {@link CaseProblem} naming the file and line.
 */
public final class CaseReader {
    public static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A case and what was odd but not fatal about it. */
    public record Loaded(ReleaseCase releaseCase, List<String> warnings) {
    }

    private CaseReader() {
    }

    public static Loaded read(Path dir) throws CaseProblem {
        List<String> warnings = new ArrayList<>();
        Path caseFile = dir.resolve("case.json");
        if (!Files.isRegularFile(caseFile)) throw new CaseProblem(caseFile, 0, "missing: every case folder needs a case.json");
        LocatedJson json = LocatedJson.read(caseFile);
        Header h = header(json, warnings);
        Path seriesFile = dir.resolve("series.csv");
        if (!Files.isRegularFile(seriesFile)) throw new CaseProblem(seriesFile, 0, "missing: every case folder needs a series.csv");
        Observations observations = series(seriesFile, h, warnings);
        Path logsFile = dir.resolve("logs.jsonl");
        List<LogEvent> logs = Files.isRegularFile(logsFile) ? logs(logsFile, h, warnings) : List.of();
        ReleaseCase c = new ReleaseCase(h.id, h.app, h.step, h.metrics, h.instances, h.fromVersion, h.toVersion, h.start, h.batches, h.end,
                h.windowFrom, h.windowTo, observations, logs, h.guard);
        return new Loaded(c, warnings);
    }

    private static final class Header {
        String id, app, fromVersion, toVersion;
        long step, start, end, windowFrom, windowTo;
        final Map<String, MetricSpec> metrics = new LinkedHashMap<>();
        final Map<String, String> instances = new LinkedHashMap<>();
        final List<Batch> batches = new ArrayList<>();
        RecordedGuard guard;
    }

    private static Header header(LocatedJson json, List<String> warnings) throws CaseProblem {
        JsonNode root = json.root();
        if (!root.isObject()) throw json.problem("", "case.json must hold one JSON object");
        Header h = new Header();
        JsonNode format = root.get("format");
        if (format != null && !(format.canConvertToLong() && format.asLong() == 1))
            throw json.problem("format", "unsupported format " + format + ": this Graywatch reads format 1");
        h.id = text(json, root, "id", true);
        if (!CASE_ID.matcher(h.id).matches())
            throw json.problem("id", "case id '" + h.id + "' must be 1 to 128 characters of A-Za-z0-9._-");
        h.app = text(json, root, "app", true);
        h.step = integer(json, root, "stepSeconds", "stepSeconds");
        if (h.step <= 0) throw json.problem("stepSeconds", "stepSeconds must be positive, got " + h.step);

        JsonNode metrics = object(json, root, "metrics", "metrics");
        if (metrics.isEmpty()) throw json.problem("metrics", "metrics must define at least one metric");
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = "metrics." + e.getKey();
            if (!e.getValue().isObject()) throw json.problem(path, path + " must be an object like {\"kind\": \"basic\", \"bad\": \"increase\"}");
            try {
                MetricKind kind = MetricKind.parse(text(json, e.getValue(), path + ".kind", false));
                Bad bad = Bad.parse(text(json, e.getValue(), path + ".bad", false));
                // role and effect gates are optional (a recorded app's own settings); absent, they are inferred
                MetricRole role = MetricRole.parse(text(json, e.getValue(), path + ".role", false));
                h.metrics.put(e.getKey(), new MetricSpec(e.getKey(), kind, bad, text(json, e.getValue(), path + ".unit", false), role,
                        decimal(json, e.getValue(), "minRelativeEffect", path), decimal(json, e.getValue(), "minAbsoluteEffect", path)));
            } catch (IllegalArgumentException ex) {
                throw json.problem(path, path + ": " + ex.getMessage());
            }
        }

        JsonNode instances = object(json, root, "instances", "instances");
        for (Iterator<Map.Entry<String, JsonNode>> it = instances.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String version = v.isObject() && v.hasNonNull("version") ? v.get("version").asText() : "";
            h.instances.put(e.getKey(), version);
        }

        JsonNode release = object(json, root, "release", "release");
        h.fromVersion = nonNull(text(json, release, "release.fromVersion", false));
        h.toVersion = nonNull(text(json, release, "release.toVersion", false));
        h.start = integer(json, release, "start", "release.start");
        h.end = integer(json, release, "end", "release.end");
        JsonNode batches = release.get("batches");
        if (batches == null || !batches.isArray() || batches.isEmpty())
            throw json.problem("release.batches", "release.batches must be a non-empty array of {\"at\": …, \"instances\": […]}");
        record RawBatch(long at, List<String> instances, boolean preRelease) {
        }
        List<RawBatch> raw = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            String path = "release.batches[" + i + "]";
            JsonNode b = batches.get(i);
            if (!b.isObject()) throw json.problem(path, path + " must be an object");
            long at = integer(json, b, "at", path + ".at");
            JsonNode members = b.get("instances");
            if (members == null || !members.isArray() || members.isEmpty())
                throw json.problem(path + ".instances", path + ".instances must be a non-empty array of instance ids");
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < members.size(); k++) {
                if (!members.get(k).isTextual()) throw json.problem(path + ".instances[" + k + "]", path + ".instances[" + k + "] must be an instance id string");
                String id = members.get(k).asText();
                if (!h.instances.containsKey(id)) {
                    // FORMAT.md's own example lists batch members that `instances` does not: they are instances on the new version
                    warnings.add("case.json: " + path + " names instance '" + id + "' that `instances` does not list; taken as an instance of version " + h.toVersion);
                    h.instances.put(id, h.toVersion);
                }
                ids.add(id);
            }
            JsonNode pre = b.get("preRelease");
            if (pre != null && !pre.isNull() && !pre.isBoolean()) throw json.problem(path + ".preRelease", path + ".preRelease must be true or false, got " + pre);
            raw.add(new RawBatch(at, ids, pre != null && pre.asBoolean()));
        }
        raw.sort(Comparator.comparingLong(RawBatch::at));
        for (int i = 0; i < raw.size(); i++) h.batches.add(new Batch(i + 1, raw.get(i).at(), raw.get(i).instances(), raw.get(i).preRelease()));
        if (h.end < raw.get(0).at())
            throw json.problem("release.end", "release.end " + h.end + " is before the first batch (" + raw.get(0).at() + ")");

        JsonNode window = root.get("window");
        h.windowFrom = Long.MIN_VALUE;
        h.windowTo = Long.MAX_VALUE;
        if (window != null && window.isObject()) {
            if (window.has("from")) h.windowFrom = integer(json, window, "from", "window.from");
            if (window.has("to")) h.windowTo = integer(json, window, "to", "window.to");
        }
        JsonNode guard = root.get("guard");
        if (guard != null && !guard.isNull()) h.guard = guard(json, guard);
        return h;
    }

    /** The optional {@code guard} object of a recorded release. */
    private static RecordedGuard guard(LocatedJson json, JsonNode g) throws CaseProblem {
        if (!g.isObject()) throw json.problem("guard", "guard must be an object");
        List<String> dangerous = new ArrayList<>();
        for (JsonNode d : array(json, g, "dangerousExceptions")) dangerous.add(d.asText());
        List<RecordedGuard.Round> rounds = new ArrayList<>();
        JsonNode r = array(json, g, "rounds");
        for (int i = 0; i < r.size(); i++) {
            String path = "guard.rounds[" + i + "]";
            if (!r.get(i).isObject()) throw json.problem("guard.rounds", path + " must be an object like {\"at\": 1695398256, \"batches\": 1}");
            JsonNode fresh = r.get(i).get("freshVote");
            if (fresh != null && !fresh.isNull() && !fresh.isBoolean()) throw json.problem("guard.rounds", path + ".freshVote must be true or false, got " + fresh);
            rounds.add(new RecordedGuard.Round(integer(json, r.get(i), "at", path + ".at"), (int) integer(json, r.get(i), "batches", path + ".batches"),
                    fresh != null && fresh.asBoolean()));
        }
        try {
            return new RecordedGuard(nonNull(text(json, g, "guard.algorithm", false)), nonNull(text(json, g, "guard.algorithmVersion", false)),
                    integer(json, g, "analysisIntervalSeconds", "guard.analysisIntervalSeconds"),
                    integer(json, g, "warmupSeconds", "guard.warmupSeconds"), integer(json, g, "historySeconds", "guard.historySeconds"),
                    (int) integer(json, g, "voteK", "guard.voteK"), (int) integer(json, g, "voteN", "guard.voteN"), dangerous,
                    g.hasNonNull("logBucketSeconds") ? integer(json, g, "logBucketSeconds", "guard.logBucketSeconds") : 0, rounds,
                    g.hasNonNull("successRateFloorPercent") ? decimal(json, g, "successRateFloorPercent", "guard") : 0);
        } catch (IllegalArgumentException e) {
            throw json.problem("guard", "guard: " + e.getMessage());
        }
    }

    private static JsonNode array(LocatedJson json, JsonNode parent, String name) throws CaseProblem {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) return JSON.createArrayNode();
        if (!v.isArray()) throw json.problem("guard." + name, "guard." + name + " must be an array");
        return v;
    }

    /** An optional decimal; NaN (the role's default) when absent. */
    private static double decimal(LocatedJson json, JsonNode parent, String name, String path) throws CaseProblem {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) return Double.NaN;
        if (!v.isNumber()) throw json.problem(path + "." + name, path + "." + name + " must be a number, got " + v);
        return v.asDouble();
    }

    private static Observations series(Path file, Header h, List<String> warnings) throws CaseProblem {
        Map<String, Map<String, Samples>> acc = new HashMap<>();
        Map<String, Unknown> unknown = new TreeMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) throw new CaseProblem(file, 1, "the file is empty: the header timestamp,instance,metric,value is required");
            List<String> cols = Csv.split(stripBom(header));
            int ct = cols == null ? -1 : cols.indexOf("timestamp"), ci = cols == null ? -1 : cols.indexOf("instance"),
                    cm = cols == null ? -1 : cols.indexOf("metric"), cv = cols == null ? -1 : cols.indexOf("value");
            if (ct < 0 || ci < 0 || cm < 0 || cv < 0)
                throw new CaseProblem(file, 1, "the header must name the columns timestamp,instance,metric,value; got '" + header + "'");
            int width = cols.size();
            int[] bounds = new int[width + 1];
            String lastInstance = null, lastMetric = null;
            Map<String, Samples> instanceSamples = null;
            String line;
            int n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                String instance, metric;
                long t;
                double v;
                if (fieldBounds(line, bounds)) {
                    // rows come grouped by instance in practice: reuse the last strings rather than cut new ones
                    instance = sameField(line, bounds, ci, lastInstance) ? lastInstance : field(line, bounds, ci);
                    metric = sameField(line, bounds, cm, lastMetric) ? lastMetric : field(line, bounds, cm);
                    t = parseTime(file, n, line, bounds[ct], bounds[ct + 1] - 1);
                    v = parseValue(file, n, field(line, bounds, cv));
                } else {
                    List<String> f = Csv.split(line);
                    if (f == null || f.size() != width) throw new CaseProblem(file, n, "expected " + width + " comma-separated fields, got '" + line + "'");
                    instance = f.get(ci);
                    metric = f.get(cm);
                    t = parseTimeSlowly(file, n, f.get(ct));
                    v = parseValue(file, n, f.get(cv));
                }
                if (!h.metrics.containsKey(metric)) {
                    unknown.computeIfAbsent("metric '" + metric + "' (not in case.json metrics)", k -> new Unknown()).noteLine(n);
                    continue;
                }
                if (!h.instances.containsKey(instance)) {
                    unknown.computeIfAbsent("instance '" + instance + "' (not in case.json)", k -> new Unknown()).noteLine(n);
                    continue;
                }
                if (!instance.equals(lastInstance)) instanceSamples = acc.computeIfAbsent(instance, k -> new HashMap<>());
                lastInstance = instance;
                lastMetric = metric;
                instanceSamples.computeIfAbsent(metric, k -> new Samples()).add(t, v);
            }
        } catch (IOException e) {
            throw new CaseProblem(file, 0, "cannot read: " + e.getMessage());
        }
        unknown.forEach((what, u) -> warnings.add("series.csv: " + u.rows + " rows of " + what + " left out, first at line " + u.firstLine));
        Observations.Builder b = Observations.builder();
        acc.forEach((instance, byMetric) -> byMetric.forEach((metric, s) -> b.put(instance, metric, s.series())));
        return b.build();
    }

    private static List<LogEvent> logs(Path file, Header h, List<String> warnings) throws CaseProblem {
        List<LogEvent> out = new ArrayList<>();
        Map<String, Unknown> unknown = new TreeMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                JsonNode o;
                try {
                    o = JSON.readTree(n == 1 ? stripBom(line) : line);
                } catch (JsonProcessingException e) {
                    throw new CaseProblem(file, n, "not valid JSON: " + e.getOriginalMessage());
                }
                if (o == null || !o.isObject()) throw new CaseProblem(file, n, "each line must be one JSON object");
                JsonNode ts = o.get("timestamp");
                if (ts == null || !ts.canConvertToLong() || !ts.isIntegralNumber()) throw new CaseProblem(file, n, "timestamp must be Unix seconds (a whole number)");
                String instance = textField(file, n, o, "instance");
                if (instance == null) throw new CaseProblem(file, n, "instance is missing");
                String message = textField(file, n, o, "message");
                String stack = textField(file, n, o, "stack");
                if (message == null && stack == null) throw new CaseProblem(file, n, "an event needs a message or a stack");
                String level = textField(file, n, o, "level");
                long count = 1;
                JsonNode c = o.get("count");
                if (c != null && !c.isNull()) {
                    if (!c.isIntegralNumber() || c.asLong() < 1) throw new CaseProblem(file, n, "count must be a whole number >= 1, got " + c);
                    count = c.asLong();
                }
                if (!h.instances.containsKey(instance)) {
                    unknown.computeIfAbsent("instance '" + instance + "' (not in case.json)", k -> new Unknown()).noteLine(n);
                    continue;
                }
                out.add(new LogEvent(ts.asLong(), instance, level == null ? "ERROR" : level, textField(file, n, o, "logger"),
                        message == null ? "" : message, stack, count));
            }
        } catch (IOException e) {
            throw new CaseProblem(file, 0, "cannot read: " + e.getMessage());
        }
        unknown.forEach((what, u) -> warnings.add("logs.jsonl: " + u.rows + " events of " + what + " left out, first at line " + u.firstLine));
        return out;
    }

    private static String textField(Path file, int line, JsonNode o, String name) throws CaseProblem {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new CaseProblem(file, line, name + " must be a string, got " + v);
        return v.asText();
    }

    /** Fills the start of each field (and one past the end of the line); false when the line has quotes or the wrong number of fields. */
    private static boolean fieldBounds(String line, int[] bounds) {
        if (line.indexOf('"') >= 0) return false;
        int k = 0;
        bounds[k++] = 0;
        for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
            if (k == bounds.length - 1) return false;
            bounds[k++] = i + 1;
        }
        if (k != bounds.length - 1) return false;
        bounds[k] = line.length() + 1;
        return true;
    }

    private static String field(String line, int[] bounds, int i) {
        return line.substring(bounds[i], bounds[i + 1] - 1);
    }

    private static boolean sameField(String line, int[] bounds, int i, String previous) {
        return previous != null && bounds[i + 1] - 1 - bounds[i] == previous.length() && line.startsWith(previous, bounds[i]);
    }

    /** Unix seconds from line[from, to), without cutting a string for the common case. */
    private static long parseTime(Path file, int line, String s, int from, int to) throws CaseProblem {
        long v = 0;
        boolean negative = from < to && s.charAt(from) == '-';
        int i = negative ? from + 1 : from;
        if (i >= to || to - i > 18) return parseTimeSlowly(file, line, s.substring(from, to));
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return parseTimeSlowly(file, line, s.substring(from, to));
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    private static long parseTimeSlowly(Path file, int line, String s) throws CaseProblem {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new CaseProblem(file, line, "timestamp '" + s + "' is not Unix seconds (a whole number)");
        }
    }

    private static double parseValue(Path file, int line, String s) throws CaseProblem {
        String v = s.trim();
        if (v.isEmpty() || v.equals("NaN")) return Double.NaN;
        try {
            double d = Double.parseDouble(v);
            if (Double.isInfinite(d) || v.endsWith("d") || v.endsWith("D") || v.endsWith("f") || v.endsWith("F")) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new CaseProblem(file, line, "value '" + s + "' is not a decimal number, NaN or empty");
        }
    }

    private static String text(LocatedJson json, JsonNode parent, String path, boolean required) throws CaseProblem {
        String name = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            if (required) throw json.problem(path, "missing field '" + path + "'");
            return null;
        }
        if (!v.isTextual()) throw json.problem(path, path + " must be a string, got " + v);
        return v.asText();
    }

    private static long integer(LocatedJson json, JsonNode parent, String name, String path) throws CaseProblem {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) throw json.problem(path, "missing field '" + path + "'");
        if (!v.isNumber() || !v.canConvertToLong() || v.asDouble() != Math.rint(v.asDouble()))
            throw json.problem(path, path + " must be a whole number" + (path.endsWith("Seconds") ? "" : " of Unix seconds") + ", got " + v);
        return v.asLong();
    }

    private static JsonNode object(LocatedJson json, JsonNode parent, String name, String path) throws CaseProblem {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) throw json.problem(path, "missing field '" + path + "'");
        if (!v.isObject()) throw json.problem(path, path + " must be an object");
        return v;
    }

    private static String nonNull(String s) { return s == null ? "" : s; }

    private static String stripBom(String s) { return s.startsWith("\uFEFF") ? s.substring(1) : s; }

    private static final class Samples {
        long[] t = new long[256];
        double[] v = new double[256];
        int n;

        void add(long time, double value) {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                v = Arrays.copyOf(v, n * 2);
            }
            t[n] = time;
            v[n++] = value;
        }

        Series series() { return Series.of(Arrays.copyOf(t, n), Arrays.copyOf(v, n)); }
    }

    private static final class Unknown {
        int rows, firstLine;

        void noteLine(int line) {
            if (rows++ == 0) firstLine = line;
        }
    }
}
