package io.graywatch.core.logs;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.FindingDetector;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import org.hipparchus.special.Beta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Log findings for a guard round, from {@link GuardInput#logs()}:
 * <ul>
 *   <li>a group <b>new</b> in the release group after its switch: absent from the reference group and
 *   from the release group's own history;</li>
 *   <li>a <b>surge</b> of a known group: its rate on the released instances is significantly above the
 *   reference group's over the same time and above the released instances' own rate before their
 *   switch (a conditional binomial test on counts, per request where a traffic metric is known and
 *   per instance-second otherwise) — a group that surges everywhere, or that was already there at the
 *   same rate (a flaky exception), is not the release's fault.</li>
 * </ul>
 * Templates mined on different hosts are matched by shape ({@link TemplateMiner#sameShape}), so a
 * template that gained a wildcard on one host is not "new". Keys are {@code log:<groupId>}; a new
 * group that involves a dangerous exception type says so in its reason and in {@code evidence.dangerous}.
 */
public final class LogDetector implements FindingDetector {

    /**
     * @param alpha           significance of the rate tests (Bonferroni-corrected over the groups tested in a round)
     * @param minRateRatio    a surge must at least multiply the comparison rate by this
     * @param minExcessEvents a surge must add at least this many events over what the comparison rate predicts
     * @param minNewCount     a new non-dangerous group needs this many events to fail (fewer: WARN)
     * @param dangerousAsRule whether a new group involving a dangerous type is reported as an immediate
     *                        FAIL of the {@code rule} stage (when the funnel's own rule stage does not already do it)
     */
    public record Config(double alpha, double minRateRatio, long minExcessEvents, long minNewCount, boolean dangerousAsRule) {
        public Config {
            if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1)");
            if (minRateRatio < 1) throw new IllegalArgumentException("minRateRatio must be at least 1");
            if (minExcessEvents < 0 || minNewCount < 1) throw new IllegalArgumentException("minExcessEvents >= 0 and minNewCount >= 1");
        }

        public static Config defaults() {
            return new Config(0.001, 2.0, 5, 3, false);
        }

        public Config withDangerousAsRule(boolean v) {
            return new Config(alpha, minRateRatio, minExcessEvents, minNewCount, v);
        }
    }

    /**
     * A group seen on released instances and nowhere before: what the funnel's rule stage needs.
     *
     * @param dangerousType the configured dangerous type it involves, or null
     * @param pValue        chance of seeing all {@code count} events on the released instances if the group were
     *                      everywhere at one rate (1 when there was nothing to compare with)
     * @param comparable    whether there was a reference group or a history to compare with
     * @param warmupOnly    whether all its events so far fell in the released instances' deploy warm-up
     */
    public record NewGroup(LogGroup group, long count, List<String> instances, long seconds, String dangerousType, double pValue,
                           boolean comparable, boolean warmupOnly) {
        public NewGroup {
            instances = List.copyOf(instances);
        }
    }

    private final Config config;

    public LogDetector() {
        this(Config.defaults());
    }

    public LogDetector(Config config) {
        this.config = config;
    }

    @Override
    public List<Finding> detect(GuardInput input) {
        Round r = Round.of(input);
        if (r == null) return List.of();
        List<Finding> out = new ArrayList<>();
        int tested = 0;
        for (Tally t : r.tallies.values()) if (!t.isNew() && t.surgeAfter.count > 0) tested++;
        for (Tally t : r.tallies.values()) {
            if (t.isNew()) {
                out.add(newFinding(r, newGroup(r, t)));
            } else if (t.surgeAfter.count > 0) {
                Finding f = surgeFinding(r, t, config.alpha() / Math.max(1, tested));
                if (f != null) out.add(f);
            }
        }
        return out;
    }

    /** The groups new in the release group this round, most events first. */
    public List<NewGroup> newGroups(GuardInput input) {
        Round r = Round.of(input);
        if (r == null) return List.of();
        List<NewGroup> out = new ArrayList<>();
        for (Tally t : r.tallies.values()) if (t.isNew()) out.add(newGroup(r, t));
        out.sort((a, b) -> Long.compare(b.count(), a.count()));
        return out;
    }

    private NewGroup newGroup(Round r, Tally t) {
        Window others = t.before.plus(t.reference);
        boolean comparable = others.seconds > 0;
        double p = 1;
        if (comparable) {
            boolean traffic = r.useTraffic(t.after, others);
            double e1 = t.after.exposure(traffic), e0 = others.exposure(traffic);
            p = Math.pow(e1 / (e1 + e0), t.after.count);
        }
        return new NewGroup(t.group, t.after.count, List.copyOf(t.instances), r.now - t.firstSwitch, dangerousType(t.group, r.dangerous), p,
                comparable, r.warmup > 0 && t.surgeAfter.count == 0);
    }

    private Finding newFinding(Round r, NewGroup n) {
        LogGroup g = n.group();
        boolean dangerous = n.dangerousType() != null;
        boolean errorLevel = isErrorLevel(g);
        Verdict severity;
        String stage = "attribution";
        if (dangerous) {
            severity = Verdict.FAIL;
            if (config.dangerousAsRule()) stage = "rule";
        } else {
            severity = errorLevel && n.comparable() && !n.warmupOnly() && n.count() >= config.minNewCount() && n.pValue() < config.alpha()
                    ? Verdict.FAIL : Verdict.WARN;
        }
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("count", (double) n.count());
        ev.put("releaseInstances", (double) n.instances().size());
        ev.put("seconds", (double) n.seconds());
        ev.put("referenceCount", 0.0);
        ev.put("historyCount", 0.0);
        ev.put("pValue", n.pValue());
        ev.put("dangerous", dangerous ? 1.0 : 0.0);
        ev.put("warmupOnly", n.warmupOnly() ? 1.0 : 0.0);

        StringBuilder reason = new StringBuilder("new ").append(describe(g, n.dangerousType()));
        if (dangerous) reason.append(" (a dangerous type)");
        reason.append(" on ").append(instances(n.instances().size())).append(", ").append(n.count()).append(n.count() == 1 ? " time" : " times")
                .append(" in ").append(n.seconds()).append(" s, ");
        Tally t = r.tallies.get(g.id());
        boolean history = t.before.seconds > 0, reference = t.reference.seconds > 0;
        if (history && reference) reason.append("never seen before the release or on the reference instances");
        else if (history) reason.append("never seen before the release (no reference group)");
        else if (reference) reason.append("never seen on the reference instances (no history)");
        else reason.append("with no reference group and no history to compare with");
        if (n.warmupOnly()) reason.append(", so far only during the deploy warm-up");
        return new Finding("log:" + g.id(), Finding.Source.LOG, severity, g.id(), stage, reason.toString(), ev, n.instances());
    }

    private Finding surgeFinding(Round r, Tally t, double alpha) {
        Window after = t.surgeAfter;
        Comparison ref = t.reference.seconds > 0 && !r.reference.isEmpty() ? compare(r, after, t.referenceSurge) : null;
        Comparison hist = t.before.seconds > 0 ? compare(r, after, t.before) : null;
        if (ref == null && hist == null) return null;
        for (Comparison c : new Comparison[]{ref, hist}) {
            if (c != null && !(c.pValue < alpha && c.ratio >= config.minRateRatio() && c.excess >= config.minExcessEvents())) return null;
        }
        LogGroup g = t.group;
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("count", (double) after.count);
        ev.put("releaseInstances", (double) t.instances.size());
        ev.put("seconds", (double) (r.now - t.firstSwitch));
        boolean traffic = (ref == null || ref.traffic) && (hist == null || hist.traffic);
        ev.put("perRequest", traffic ? 1.0 : 0.0);
        Comparison any = ref != null ? ref : hist;
        ev.put("releaseRate", any.rate);
        if (ref != null) {
            ev.put("referenceCount", (double) t.referenceSurge.count);
            ev.put("referenceRate", ref.otherRate);
            ev.put("ratioReference", ref.ratio);
            ev.put("pValueReference", ref.pValue);
        }
        if (hist != null) {
            ev.put("historyCount", (double) t.before.count);
            ev.put("historyRate", hist.otherRate);
            ev.put("ratioHistory", hist.ratio);
            ev.put("pValueHistory", hist.pValue);
        }
        String dangerousType = dangerousType(g, r.dangerous);
        ev.put("dangerous", dangerousType != null ? 1.0 : 0.0);

        StringBuilder reason = new StringBuilder(describe(g, dangerousType)).append(" surged on ").append(instances(t.instances.size()))
                .append(": ").append(rate(any.rate, any.traffic));
        if (ref != null) reason.append(" vs ").append(rate(ref.otherRate, ref.traffic)).append(" on the ").append(r.reference.size())
                .append(r.reference.size() == 1 ? " reference one" : " reference ones");
        if (hist != null) reason.append(ref != null ? ", up from " : " vs ").append(rate(hist.otherRate, hist.traffic)).append(" before the release");
        Verdict severity = isErrorLevel(g) ? Verdict.FAIL : Verdict.WARN;
        return new Finding("log:" + g.id(), Finding.Source.LOG, severity, g.id(), ref != null ? "attribution" : "change", reason.toString(), ev,
                List.copyOf(t.instances));
    }

    private record Comparison(boolean traffic, double rate, double otherRate, double ratio, double excess, double pValue) {
    }

    private static Comparison compare(Round r, Window mine, Window other) {
        boolean traffic = r.useTraffic(mine, other);
        double e1 = mine.exposure(traffic), e2 = other.exposure(traffic);
        double rate = mine.count / e1, otherRate = other.count / e2;
        double ratio = other.count == 0 ? Double.POSITIVE_INFINITY : rate / otherRate;
        double excess = mine.count - e1 * otherRate;
        double p = upperTail(mine.count, mine.count + other.count, e1 / (e1 + e2));
        double scale = traffic ? 1000 : 60;
        return new Comparison(traffic, rate * scale, otherRate * scale, ratio, excess, p);
    }

    /** P(X >= k) for X ~ Binomial(n, p). */
    static double upperTail(long k, long n, double p) {
        if (k <= 0) return 1;
        if (k > n) return 0;
        return Beta.regularizedBeta(p, k, n - k + 1.0);
    }

    private static String rate(double v, boolean traffic) {
        return String.format(Locale.ROOT, traffic ? "%.2f per 1k requests" : "%.2f per minute per instance", v);
    }

    private static String instances(int n) {
        return n == 1 ? "1 released instance" : n + " released instances";
    }

    private static boolean isErrorLevel(LogGroup g) {
        return g.kind() == LogGroup.Kind.EXCEPTION || g.level() == null || LogLevel.parse(g.level()).atLeast(LogLevel.ERROR);
    }

    /** {@code exception java.lang.ClassNotFoundException: com.example.Rule} or {@code error log "timeout after <*> ms"}. */
    static String describe(LogGroup g, String focusType) {
        if (g.kind() == LogGroup.Kind.TEMPLATE) {
            String level = g.level() == null ? "" : g.level().toLowerCase(Locale.ROOT) + " ";
            return level + "log \"" + shorten(g.template(), 160) + "\"";
        }
        String type = focusType != null ? fullName(g, focusType) : g.exceptionType();
        String message = messageOf(g.sample(), type);
        String s = "exception " + type + (message == null ? "" : ": " + shorten(message, 120));
        if (focusType == null && g.rootCauseType() != null && !g.rootCauseType().equals(g.exceptionType())) s += " (root cause " + g.rootCauseType() + ")";
        return s;
    }

    private static String fullName(LogGroup g, String simple) {
        for (String t : new String[]{g.exceptionType(), g.rootCauseType()}) if (t != null && (t.equals(simple) || t.endsWith("." + simple))) return t;
        for (String line : lines(g.sample())) {
            String t = throwableHeaderType(line);
            if (t != null && (t.equals(simple) || t.endsWith("." + simple))) return t;
        }
        return simple;
    }

    /** The configured dangerous type a group involves anywhere in its cause chain, or null. */
    static String dangerousType(LogGroup g, List<String> dangerous) {
        if (g.kind() != LogGroup.Kind.EXCEPTION) return null;
        for (String d : dangerous) if (g.involves(d)) return d;
        for (String line : lines(g.sample())) {
            String t = throwableHeaderType(line);
            if (t == null) continue;
            for (String d : dangerous) if (t.equals(d) || t.endsWith("." + d)) return d;
        }
        return null;
    }

    private static List<String> lines(String sample) {
        return sample == null ? List.of() : List.of(sample.split("\n"));
    }

    /** The type of a stack trace's header or {@code Caused by:} line, or null for other lines. */
    private static String throwableHeaderType(String line) {
        String s = line.strip();
        if (s.startsWith("Caused by: ")) s = s.substring(11);
        else if (s.startsWith("Exception in thread \"")) s = s.substring(Math.max(s.indexOf("\" ") + 2, 0));
        int colon = s.indexOf(": ");
        String type = colon < 0 ? s : s.substring(0, colon);
        byte[] b = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return LogParser.isExceptionLine(b, 0, b.length) ? type : null;
    }

    private static String messageOf(String sample, String type) {
        for (String line : lines(sample)) {
            String s = line.strip();
            if (s.startsWith("Caused by: ")) s = s.substring(11);
            if (s.startsWith(type + ": ")) return s.substring(type.length() + 2);
        }
        return null;
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Events and exposure of some instances over some windows. */
    private static final class Window {
        long count;
        double seconds, traffic, trafficSeconds;

        Window plus(Window o) {
            Window w = new Window();
            w.count = count + o.count;
            w.seconds = seconds + o.seconds;
            w.traffic = traffic + o.traffic;
            w.trafficSeconds = trafficSeconds + o.trafficSeconds;
            return w;
        }

        void addExposure(Window o) {
            seconds += o.seconds;
            traffic += o.traffic;
            trafficSeconds += o.trafficSeconds;
        }

        boolean trafficKnown() {
            return seconds > 0 && traffic > 0 && trafficSeconds >= 0.5 * seconds;
        }

        double exposure(boolean byTraffic) {
            return byTraffic ? traffic : seconds;
        }
    }

    /** One canonical group's counts in each window of the round. */
    private static final class Tally {
        final LogGroup group;
        final Window after = new Window(), surgeAfter = new Window(), before = new Window(), reference = new Window(),
                referenceSurge = new Window();
        final Set<String> instances = new TreeSet<>();
        long firstSwitch = Long.MAX_VALUE;

        Tally(LogGroup group) {
            this.group = group;
        }

        boolean isNew() {
            return after.count > 0 && before.count == 0 && reference.count == 0;
        }
    }

    /** The windows of one round: per released instance its switch, and the exposures of every window. */
    private static final class Round {
        long now;
        long warmup;
        List<String> dangerous;
        Set<String> reference;
        final Map<String, Tally> tallies = new TreeMap<>();
        private String trafficMetric;

        static Round of(GuardInput in) {
            LogData logs = in.logs();
            Set<String> release = in.releaseGroup();
            if (logs == null || logs.counts().isEmpty() || release.isEmpty()) return null;
            Round r = new Round();
            r.now = in.now();
            r.warmup = in.config().warmupSeconds();
            r.dangerous = in.config().dangerousExceptions();
            r.reference = in.referenceGroup();
            long b = logs.bucketSeconds(), history = in.config().historySeconds();
            long dataStart = Long.MAX_VALUE;
            for (LogCount c : logs.counts()) dataStart = Math.min(dataStart, c.bucketStart());
            for (MetricSpec m : in.metrics().values()) if (m.role() == MetricRole.TRAFFIC && r.trafficMetric == null) r.trafficMetric = m.name();

            Map<String, long[]> windows = new HashMap<>(); // instance -> {afterStart, surgeStart, beforeStart}
            long refSurgeStart = Long.MAX_VALUE, firstAfter = Long.MAX_VALUE;
            for (String i : release) {
                long s = in.release().switchedAt(i, r.now);
                long a = Math.floorDiv(s, b) * b, w = Math.floorDiv(s + r.warmup, b) * b;
                windows.put(i, new long[]{a, w, Math.max(a - history, Math.min(dataStart, a)), s});
                refSurgeStart = Math.min(refSurgeStart, w);
                firstAfter = Math.min(firstAfter, a);
            }
            long refStart = Math.max(firstAfter - history, Math.min(dataStart, firstAfter));
            long end = r.now + 1;

            Window afterExp = new Window(), surgeExp = new Window(), beforeExp = new Window(), refExp = new Window(), refSurgeExp = new Window();
            for (Map.Entry<String, long[]> e : windows.entrySet()) {
                long[] w = e.getValue();
                afterExp.addExposure(r.exposure(in, e.getKey(), w[0], end));
                surgeExp.addExposure(r.exposure(in, e.getKey(), w[1], end));
                beforeExp.addExposure(r.exposure(in, e.getKey(), w[2], w[0]));
            }
            for (String i : r.reference) {
                refExp.addExposure(r.exposure(in, i, refStart, end));
                refSurgeExp.addExposure(r.exposure(in, i, refSurgeStart, end));
            }

            Map<String, String> canonical = canonicalIds(logs);
            for (LogCount c : logs.counts()) {
                if (c.bucketStart() > r.now || c.count() <= 0) continue;
                long[] w = windows.get(c.instance());
                boolean ref = w == null && r.reference.contains(c.instance());
                if (w == null && !ref) continue;
                String id = canonical.getOrDefault(c.groupId(), c.groupId());
                Tally t = r.tallies.computeIfAbsent(id, k -> {
                    LogGroup g = logs.groups().get(k);
                    Tally nt = new Tally(g != null ? g : new LogGroup(k, LogGroup.Kind.EXCEPTION, null, k, k, k, null));
                    nt.after.addExposure(afterExp);
                    nt.surgeAfter.addExposure(surgeExp);
                    nt.before.addExposure(beforeExp);
                    nt.reference.addExposure(refExp);
                    nt.referenceSurge.addExposure(refSurgeExp);
                    return nt;
                });
                long bs = c.bucketStart();
                if (ref) {
                    if (bs >= refStart) t.reference.count += c.count();
                    if (bs >= refSurgeStart) t.referenceSurge.count += c.count();
                } else if (bs >= w[0]) {
                    t.after.count += c.count();
                    if (bs >= w[1]) t.surgeAfter.count += c.count();
                    t.instances.add(c.instance());
                    t.firstSwitch = Math.min(t.firstSwitch, w[3]);
                } else if (bs >= w[2]) {
                    t.before.count += c.count();
                }
            }
            return r;
        }

        /** Seconds, and requests where the traffic metric has samples, of one instance in [from, to). */
        private Window exposure(GuardInput in, String instance, long from, long to) {
            Window w = new Window();
            if (to <= from) return w;
            w.seconds = to - from;
            if (trafficMetric != null) {
                Series s = in.observations().series(instance, trafficMetric).between(from, to);
                for (double v : s.finiteValues()) {
                    w.traffic += v * in.stepSeconds();
                    w.trafficSeconds += in.stepSeconds();
                }
            }
            return w;
        }

        boolean useTraffic(Window a, Window b) {
            return trafficMetric != null && a.trafficKnown() && b.trafficKnown();
        }
    }

    /**
     * Maps each template group to one representative of the templates of the same shape (mined on
     * other hosts, or before a wildcard was added): the one seen first, then the smallest id, so
     * that a finding's key stays the same from round to round.
     */
    static Map<String, String> canonicalIds(LogData logs) {
        Map<String, Long> first = new HashMap<>();
        for (LogCount c : logs.counts()) first.merge(c.groupId(), c.bucketStart(), Math::min);
        List<LogGroup> templates = new ArrayList<>();
        for (LogGroup g : logs.groups().values()) if (g.kind() == LogGroup.Kind.TEMPLATE && first.containsKey(g.id())) templates.add(g);
        templates.sort((a, b) -> {
            int c = Long.compare(first.get(a.id()), first.get(b.id()));
            return c != 0 ? c : a.id().compareTo(b.id());
        });
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < templates.size(); i++) {
            LogGroup g = templates.get(i);
            if (out.containsKey(g.id())) continue;
            out.put(g.id(), g.id());
            for (int j = i + 1; j < templates.size(); j++) {
                LogGroup h = templates.get(j);
                if (!out.containsKey(h.id()) && TemplateMiner.sameShape(g.template(), h.template())) out.put(h.id(), g.id());
            }
        }
        return out;
    }
}
