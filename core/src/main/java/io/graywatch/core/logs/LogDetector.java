package io.graywatch.core.logs;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.FindingDetector;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.distribution.discrete.BinomialDistribution;
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
 *   <li>a <b>surge</b> of a known group after the released instances' warm-up: its rate above that of the
 *   instances still on the old version in the same buckets (stratified by bucket) and above the released
 *   instances' own rate before their switch (stratified by instance), a conditional binomial test on counts
 *   per request where a traffic metric is known and per instance-second of being up otherwise (see
 *   {@link LogRound}) — a group that surges everywhere, or that was already there at the same rate (a
 *   flaky exception), is not the release's fault. Where the old version logs a group too seldom for the same
 *   buckets to prove anything, a surge against history counts if the old instances kept their own usual rate
 *   meanwhile (a difference in differences), unless the group came in bursts before. A group whose minutes spread
 *   beyond chance before the release is compared with its history as a quasi-Poisson count (its counts divided by
 *   how many times a Poisson count's variance theirs had), as a burst like those before can land after the switch
 *   too; with nothing else to compare with (a lone instance replaced), that history is all there is.</li>
 * </ul>
 * Templates mined on different hosts are matched by shape ({@link TemplateMiner#sameShape}), so a
 * template that gained a wildcard on one host is not "new". Keys are {@code log:<groupId>}; a new
 * group that involves a dangerous exception type says so in its reason and in {@code evidence.dangerous}; unless
 * {@link Config#dangerousAsRule()}, such a group is left to the funnel's rule stage ({@link #newDangerousTypes}).
 */
public final class LogDetector implements FindingDetector {

    /**
     * @param alpha           significance of the rate tests (Bonferroni-corrected over the groups tested in a round): a
     *                        surge must reach it against the instances still on the old version or against history
     * @param supportAlpha    and must be at least this significant against the other of the two, where both exist: with
     *                        a rare group the few events the old version logs at the same time cannot make a small
     *                        p-value on their own, yet a surge they also show is global, not the release's
     * @param minRateRatio    a surge must at least multiply the comparison rate by this
     * @param minExcessEvents a surge must add at least this many events over what the comparison rate predicts: a floor
     *                        against a pair of events where almost none were expected, which the binomial tail alone
     *                        would call significant. It is no guard against flaky bursts (the stratified reference test
     *                        is), so it is kept low: a group seen a few times an hour that surges tenfold on one released
     *                        instance adds about one event in two minutes, and every event waited for is a minute or two
     *                        more of users meeting it
     * @param minNewCount     a new non-dangerous group needs this many events to fail (fewer: WARN); two by default, as the
     *                        p-value against the exposure before and on the old instances already says whether two
     *                        are a coincidence, and every event waited for is users meeting it
     * @param dangerousAsRule whether a new group involving a dangerous type is reported as an immediate
     *                        FAIL of the {@code rule} stage (when the funnel's own rule stage does not already do it)
     * @param quietAlpha      where the old version logs a group too rarely for the comparison in the same buckets to be
     *                        significant, a surge against history is still the release's if the old instances, in those
     *                        buckets, logged it at their own usual rate: their count must be this likely or more at it
     * @param poissonAlpha    and only if the group's counts were as even as chance before the release (a dispersion
     *                        test at this level): a group that comes in bursts can have one in any window, and only the
     *                        comparison in the same buckets can tell a burst from a surge. Beyond this level the test
     *                        against history also takes the counts as quasi-Poisson
     */
    public record Config(double alpha, double supportAlpha, double minRateRatio, long minExcessEvents, long minNewCount, boolean dangerousAsRule,
                         double quietAlpha, double poissonAlpha) {
        public Config {
            if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1)");
            if (!(supportAlpha >= alpha && supportAlpha < 1)) throw new IllegalArgumentException("supportAlpha must be in [alpha, 1)");
            if (minRateRatio < 1) throw new IllegalArgumentException("minRateRatio must be at least 1");
            if (minExcessEvents < 0 || minNewCount < 1) throw new IllegalArgumentException("minExcessEvents >= 0 and minNewCount >= 1");
            if (!(quietAlpha > 0 && quietAlpha <= 1 && poissonAlpha > 0 && poissonAlpha <= 1))
                throw new IllegalArgumentException("quietAlpha and poissonAlpha must be in (0, 1]");
        }

        public static Config defaults() {
            return new Config(0.001, 0.01, 2.0, 3, 2, false, 0.2, 0.01);
        }

        public Config withDangerousAsRule(boolean v) {
            return new Config(alpha, supportAlpha, minRateRatio, minExcessEvents, minNewCount, v, quietAlpha, poissonAlpha);
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

    /** A dangerous type logged by released instances since their switch and never by the reference group nor before. */
    public record DangerousSighting(String type, long count, List<String> instances) {
        public DangerousSighting {
            instances = List.copyOf(instances);
        }
    }

    @Override
    public List<Finding> detect(GuardInput input) {
        LogRound r = LogRound.of(input);
        if (r == null) return List.of();
        // the funnel's rule stage reports these already; a second, voted finding for the same group would only repeat it
        Set<String> ruled = new TreeSet<>();
        if (!config.dangerousAsRule()) for (DangerousSighting s : newDangerousTypes(input, r.origin)) ruled.add(s.type());
        List<Tally> tallies = tallies(r);
        int tested = 0;
        for (Tally t : tallies) if (!t.isNew() && t.surgeCount > 0) tested++;
        List<Finding> out = new ArrayList<>();
        for (Tally t : tallies) {
            if (t.isNew()) {
                NewGroup n = newGroup(r, t);
                if (n.dangerousType() == null || !ruled.contains(n.dangerousType())) out.add(newFinding(t, n, input.config().strongAlpha()));
            } else if (t.surgeCount > 0) {
                Finding f = surgeFinding(r, t, config.alpha() / Math.max(1, tested));
                if (f != null) out.add(f);
            }
        }
        return out;
    }

    /** The groups new in the release group this round, most events first. */
    public List<NewGroup> newGroups(GuardInput input) {
        LogRound r = LogRound.of(input);
        if (r == null) return List.of();
        List<NewGroup> out = new ArrayList<>();
        for (Tally t : tallies(r)) if (t.isNew()) out.add(newGroup(r, t));
        out.sort((a, b) -> Long.compare(b.count(), a.count()));
        return out;
    }

    /**
     * The configured dangerous types logged on released instances since their switch (in the bucket of the switch
     * or later) and never, from {@code from} on, by the reference group nor by the released instances before their switch.
     */
    public static List<DangerousSighting> newDangerousTypes(GuardInput in, long from) {
        LogData logs = in.logs();
        List<DangerousSighting> out = new ArrayList<>();
        if (logs == null) return out;
        long now = in.now();
        for (String type : in.config().dangerousExceptions()) {
            Set<String> groups = new TreeSet<>();
            for (LogGroup g : logs.groups().values()) if (involvesDangerous(g, type)) groups.add(g.id());
            if (groups.isEmpty()) continue;
            long after = 0;
            boolean elsewhere = false;
            Map<String, Long> byInstance = new LinkedHashMap<>();
            for (LogCount c : logs.counts()) {
                if (!groups.contains(c.groupId()) || c.bucketStart() < from || c.bucketStart() > now || c.count() <= 0) continue;
                Long switchedAt = in.release().switchedAt(c.instance(), now);
                if (switchedAt != null && c.bucketStart() + logs.bucketSeconds() > switchedAt) {
                    after += c.count();
                    byInstance.merge(c.instance(), c.count(), Long::sum);
                } else {
                    elsewhere = true;
                }
            }
            if (after > 0 && !elsewhere) out.add(new DangerousSighting(type, after, List.copyOf(byInstance.keySet())));
        }
        return out;
    }

    /** Each group's counts in the windows of the round. */
    private static List<Tally> tallies(LogRound r) {
        List<Tally> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, long[]>> e : r.counts.entrySet()) {
            Tally t = new Tally(r.groups.get(e.getKey()));
            for (Map.Entry<String, long[]> ic : e.getValue().entrySet()) {
                LogRound.Member m = r.member(ic.getKey());
                long[] c = ic.getValue();
                for (int j = 0; j < c.length; j++) {
                    if (c[j] == 0) continue;
                    if (!m.released()) {
                        t.reference += c[j];
                    } else if (r.start(j) + r.bucket <= m.switchAt) {
                        // a bucket the switch fell in may hold the new version's first events: as the rule stage, count it as after
                        t.before += c[j];
                    } else {
                        t.after += c[j];
                        t.instances.add(m.id);
                        t.firstSwitch = Math.min(t.firstSwitch, m.switchAt);
                        if (j >= m.surgeFrom) {
                            t.afterWarmup += c[j];
                            if (j < r.complete) t.surgeCount += c[j];
                        }
                    }
                }
            }
            out.add(t);
        }
        return out;
    }

    private NewGroup newGroup(LogRound r, Tally t) {
        double e1 = 0, history = 0, reference = 0;
        for (LogRound.Member m : r.released.values()) {
            e1 += m.exposure(m.switchBucket, r.buckets);
            history += m.exposure(0, m.switchBucket);
        }
        for (LogRound.Member m : r.reference.values()) reference += m.exposure(0, r.buckets);
        double e0 = history + reference;
        boolean comparable = e0 > 0;
        double p = comparable ? Math.pow(e1 / (e1 + e0), t.after) : 1;
        t.historyExposure = history;
        t.referenceExposure = reference;
        return new NewGroup(t.group, t.after, List.copyOf(t.instances), r.now - t.firstSwitch, dangerousType(t.group, r.input.config().dangerousExceptions()),
                p, comparable, r.input.config().warmupSeconds() > 0 && t.afterWarmup == 0);
    }

    private Finding newFinding(Tally t, NewGroup n, double strongAlpha) {
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
            // an exception never seen on the old version nor before, thrown again and again after the warm-up, is no
            // fluke a vote must rule out: waiting a round only lets more users meet it
            if (severity == Verdict.FAIL && g.kind() == LogGroup.Kind.EXCEPTION && t.referenceExposure > 0
                    && n.pValue() < strongAlpha) stage = "rule";
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
        boolean history = t.historyExposure > 0, reference = t.referenceExposure > 0;
        if (history && reference) reason.append("never seen before the release or on the reference instances");
        else if (history) reason.append("never seen before the release (no reference group)");
        else if (reference) reason.append("never seen on the reference instances (no history)");
        else reason.append("with no reference group and no history to compare with");
        if (n.warmupOnly()) reason.append(", so far only during the deploy warm-up");
        return new Finding("log:" + g.id(), Finding.Source.LOG, severity, g.id(), stage, reason.toString(), ev, n.instances());
    }

    private Finding surgeFinding(LogRound r, Tally t, double alpha) {
        Comparison ref = referenceTest(r, t.group.id());
        Dispersion before = dispersionBefore(r, t.group.id());
        Comparison hist = historyTest(r, t.group.id(), before);
        if (ref == null && hist == null) return null;
        Comparison own = null;
        double best = 1;
        for (Comparison c : new Comparison[]{ref, hist}) {
            if (c == null) continue;
            if (c.pValue < config.supportAlpha() && stands(c)) {
                best = Math.min(best, c.pValue);
                continue;
            }
            // the old version logs it too seldom for the same buckets to prove anything: the difference in differences may
            if (c == ref && !(c.pValue < config.supportAlpha()) && (own = quietOldVersion(r, t.group.id(), ref, hist, alpha, before)) != null) continue;
            return null;
        }
        if (!(best < alpha)) return null;
        LogGroup g = t.group;
        Comparison any = ref != null ? ref : hist;
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("count", (double) any.count);
        ev.put("releaseInstances", (double) t.instances.size());
        ev.put("seconds", (double) (r.now - t.firstSwitch));
        ev.put("perRequest", r.byTraffic ? 1.0 : 0.0);
        ev.put("releaseRate", any.rate);
        if (ref != null) {
            ev.put("referenceCount", (double) ref.otherCount);
            ev.put("referenceRate", ref.otherRate);
            ev.put("ratioReference", ref.ratio);
            ev.put("pValueReference", ref.pValue);
        }
        if (own != null) {
            ev.put("referenceOwnRatio", own.ratio);
            ev.put("pValueReferenceOwn", own.pValue);
        }
        if (hist != null) {
            ev.put("historyCount", (double) hist.otherCount);
            ev.put("historyRate", hist.otherRate);
            ev.put("ratioHistory", hist.ratio);
            ev.put("pValueHistory", hist.pValue);
        }
        String dangerousType = dangerousType(g, r.input.config().dangerousExceptions());
        ev.put("dangerous", dangerousType != null ? 1.0 : 0.0);

        StringBuilder reason = new StringBuilder(describe(g, dangerousType)).append(" surged on ").append(instances(t.instances.size()))
                .append(": ").append(rate(any.rate, r.byTraffic));
        if (ref != null) reason.append(" vs ").append(rate(ref.otherRate, r.byTraffic)).append(" on ")
                .append(ref.otherInstances == 1 ? "the 1 instance" : "the " + ref.otherInstances + " instances").append(" still on the old version")
                .append(own != null ? " (their usual rate)" : "");
        if (hist != null) reason.append(ref != null ? ", up from " : " vs ").append(rate(hist.otherRate, r.byTraffic)).append(" before the release");
        Verdict severity = isErrorLevel(g) ? Verdict.FAIL : Verdict.WARN;
        return new Finding("log:" + g.id(), Finding.Source.LOG, severity, g.id(), ref != null ? "attribution" : "change", reason.toString(), ev,
                List.copyOf(t.instances));
    }

    private boolean stands(Comparison c) {
        return c.ratio >= config.minRateRatio() && c.excess >= config.minExcessEvents();
    }

    /**
     * The old instances' comparison with their own past when it clears the release of nothing: the released instances
     * surged against their past beyond {@code alpha}, at least the minimum ratio above the old instances in the same
     * buckets, while the old instances logged the group at their usual rate, and the group's counts were as even as
     * chance before the release. Null otherwise.
     */
    private Comparison quietOldVersion(LogRound r, String group, Comparison ref, Comparison hist, double alpha, Dispersion before) {
        if (hist == null || !(hist.pValue < alpha && stands(hist)) || ref.ratio < config.minRateRatio()) return null;
        Comparison own = referenceOwnTest(r, group);
        if (own == null || !(own.pValue > config.quietAlpha() && own.ratio < config.minRateRatio())) return null;
        return before.pValue() >= config.poissonAlpha() ? own : null;
    }

    /**
     * The reference instances in the buckets the released instances are judged on against their own past before the
     * first batch, stratified by instance: whether the old version logged the group more than usual meanwhile. Null
     * without a reference instance that served both then and before.
     */
    private static Comparison referenceOwnTest(LogRound r, String group) {
        int from = r.firstSurgeBucket(), firstSwitch = r.firstSwitchBucket();
        Strata s = new Strata();
        for (LogRound.Member m : r.reference.values()) {
            long[] c = r.counts(group, m);
            long now = 0, before = 0;
            for (int j = from; j < r.complete; j++) now += c[j];
            for (int j = 0; j < firstSwitch; j++) before += c[j];
            s.add(now, m.exposure(from, r.complete), before, m.exposure(0, firstSwitch));
        }
        return s.result(r.byTraffic, r.reference.size());
    }

    /**
     * How the group's counts spread minute by minute on each instance before the first batch.
     *
     * @param pValue whether they were as even as chance makes them: the p-value of Pearson's dispersion statistic
     *               (Poisson against more spread); 1 when there is too little to tell, or nothing was logged
     * @param factor how many times a Poisson count's variance theirs was (Pearson's statistic over its degrees of
     *               freedom), at least 1
     */
    record Dispersion(double pValue, double factor) {
        static final Dispersion POISSON = new Dispersion(1, 1);
    }

    private static Dispersion dispersionBefore(LogRound r, String group) {
        int firstSwitch = r.firstSwitchBucket();
        int per = (int) Math.max(1, 60 / r.bucket);
        double chi2 = 0;
        int df = 0;
        long[] minute = new long[firstSwitch / per + 1];
        for (LogRound.Member m : r.members()) {
            long[] c = r.counts(group, m);
            int n = 0;
            long total = 0;
            for (int j = 0; j + per <= firstSwitch; j += per) {
                long v = 0;
                boolean up = false;
                for (int k = j; k < j + per; k++) {
                    v += c[k];
                    up |= m.exposure[k] > 0;
                }
                if (!up) continue;
                minute[n++] = v;
                total += v;
            }
            if (n < 2 || total == 0) continue;
            double mean = total / (double) n;
            for (int k = 0; k < n; k++) chi2 += (minute[k] - mean) * (minute[k] - mean) / mean;
            df += n - 1;
        }
        return df == 0 ? Dispersion.POISSON : new Dispersion(1 - new ChiSquaredDistribution(df).cumulativeProbability(chi2), Math.max(1, chi2 / df));
    }

    /**
     * @param count      events on the released instances in the compared buckets
     * @param otherCount events on the other side
     * @param ratio      the Mantel–Haenszel rate ratio over the strata
     * @param excess     events above what the other side's rate predicts
     */
    private record Comparison(long count, long otherCount, int otherInstances, double rate, double otherRate, double ratio, double excess,
                              double pValue) {
    }

    /** Accumulates strata: released events and exposure against the other side's, over the same stratum. */
    static final class Strata {
        long x, y;
        double ex, ey, expected, num, den;
        int strata;

        final List<Integer> events = new ArrayList<>();
        final List<Double> shares = new ArrayList<>();

        void add(long xi, double exi, long yi, double eyi) {
            if (exi <= 0 || eyi <= 0) return;
            double total = exi + eyi;
            if (xi + yi > 0) {
                events.add((int) Math.min(Integer.MAX_VALUE, xi + yi));
                shares.add(exi / total);
            }
            x += xi;
            y += yi;
            ex += exi;
            ey += eyi;
            expected += (xi + yi) * exi / total;
            num += xi * eyi / total;
            den += yi * exi / total;
            strata++;
        }

        /**
         * P(X >= x) where X sums each stratum's binomial (its events, the released instances' share of its exposure):
         * the exact null distribution of the stratified count. A rare group's strata hold few events each, and their
         * shares differ as batches join, so the exact tail is markedly smaller than that of one binomial at the mean
         * share, which only bounds it (Hoeffding). It is summed as the other side's count at most n - x, so that the
         * convolution stops at the few values a surge leaves it. At or below the mean, where X reaches x at least half
         * the time and nothing is significant, and past a few thousand events, where a round could not afford it, the
         * bound stands in.
         */
        double stratifiedUpperTail(long x, long n) {
            if (x <= 0) return 1;
            if (x > n) return 0;
            if (x <= expected || n > EXACT_EVENTS) return upperTail(x, n, Math.min(1, expected / n));
            int cap = (int) (n - x) + 1;
            double[] dist = {1};
            for (int i = 0; i < events.size(); i++) {
                int ni = events.get(i);
                double[] pmf = binomialPmf(ni, 1 - shares.get(i), cap - 1);
                double[] next = new double[Math.min(dist.length + ni, cap)];
                for (int a = 0; a < dist.length; a++) {
                    if (dist[a] == 0) continue;
                    for (int b = 0; b < pmf.length && a + b < cap; b++) next[a + b] += dist[a] * pmf[b];
                }
                dist = next;
            }
            double tail = 0;
            for (double d : dist) tail += d;
            return Math.min(1, tail);
        }

        Comparison result(boolean traffic, int otherInstances) {
            if (strata == 0) return null;
            long n = x + y;
            double p = n == 0 ? 1 : stratifiedUpperTail(x, n);
            double scale = traffic ? 1000 : 60;
            double ratio = den == 0 ? (num == 0 ? 1 : Double.POSITIVE_INFINITY) : num / den;
            return new Comparison(x, y, otherInstances, x / ex * scale, y / ey * scale, ratio, x - expected, p);
        }
    }

    /**
     * The released instances after their warm-up against the instances on the old version in the same buckets (the
     * reference group, and the released instances before their own switch): stratified by bucket, so that a burst that
     * hits every instance at once (a flaky downstream, an upstream incident) weighs the same on both sides even when
     * the released instances joined at different times, and so that once the last batch has switched everything the
     * minutes when both versions served still count.
     */
    private static Comparison referenceTest(LogRound r, String group) {
        int from = r.firstSurgeBucket();
        Strata s = new Strata();
        List<LogRound.Member> members = r.members();
        long[][] counts = new long[members.size()][];
        for (int i = 0; i < counts.length; i++) counts[i] = r.counts(group, members.get(i));
        boolean[] old = new boolean[counts.length];
        int[] oldHere = new int[counts.length];
        for (int j = from; j < r.complete; j++) {
            long x = 0, y = 0;
            double ex = 0, ey = 0;
            int nOld = 0;
            for (int i = 0; i < counts.length; i++) {
                LogRound.Member m = members.get(i);
                if (m.exposure[j] <= 0) continue;
                if (m.released() && j >= m.surgeFrom) {
                    ex += m.exposure[j];
                    x += counts[i][j];
                } else if (!m.released() || j < m.switchBucket) {
                    ey += m.exposure[j];
                    y += counts[i][j];
                    oldHere[nOld++] = i;
                }
            }
            if (ex > 0 && ey > 0) for (int k = 0; k < nOld; k++) old[oldHere[k]] = true;
            s.add(x, ex, y, ey);
        }
        int oldInstances = 0;
        for (boolean o : old) if (o) oldInstances++;
        return s.result(r.byTraffic, oldInstances);
    }

    /**
     * The released instances after their warm-up against before their switch: stratified by instance, each against its
     * own history, so that one instance that always logs more is compared with itself. Instances with no history of
     * their own (a replacement under a new name) are compared together with what the rest of the fleet logged before
     * the first batch.
     */
    private Comparison historyTest(LogRound r, String group, Dispersion spread) {
        // a group that came in bursts before (a flaky downstream) is tested as a quasi-Poisson count: a burst after
        // the switch is no surge when bursts as big came before. Only when the spread is beyond chance: a single
        // pair of events in a quiet hour would otherwise blunt the test of every rare group
        double deflate = spread.pValue() < config.poissonAlpha() ? spread.factor() : 1;
        Strata s = new Strata(), quasi = deflate == 1 ? null : new Strata();
        long pooledX = 0;
        double pooledE = 0;
        int firstSwitch = r.firstSwitchBucket();
        for (LogRound.Member m : r.released.values()) {
            long[] c = r.counts(group, m);
            long after = 0;
            for (int j = m.surgeFrom; j < r.complete; j++) after += c[j];
            double ea = m.exposure(m.surgeFrom, r.complete);
            double eh = m.exposure(0, m.switchBucket);
            if (eh > 0) {
                long before = 0;
                for (int j = 0; j < m.switchBucket; j++) before += c[j];
                s.add(after, ea, before, eh);
                if (quasi != null) quasi.add(Math.round(after / deflate), ea, Math.round(before / deflate), eh);
            } else {
                pooledX += after;
                pooledE += ea;
            }
        }
        if (pooledE > 0) {
            long y = 0;
            double ey = 0;
            for (LogRound.Member m : r.reference.values()) {
                long[] c = r.counts(group, m);
                for (int j = 0; j < firstSwitch; j++) y += c[j];
                ey += m.exposure(0, firstSwitch);
            }
            s.add(pooledX, pooledE, y, ey);
            if (quasi != null) quasi.add(Math.round(pooledX / deflate), pooledE, Math.round(y / deflate), ey);
        }
        Comparison raw = s.result(r.byTraffic, 0);
        if (quasi == null || raw == null) return raw;
        Comparison q = quasi.result(r.byTraffic, 0);
        return new Comparison(raw.count(), raw.otherCount(), raw.otherInstances(), raw.rate(), raw.otherRate(), raw.ratio(), raw.excess(),
                Math.max(raw.pValue(), q.pValue()));
    }

    private static final int EXACT_EVENTS = 2000;

    /** The probabilities of 0..m successes in n trials of chance p (m at most n). */
    static double[] binomialPmf(int n, double p, int m) {
        BinomialDistribution d = new BinomialDistribution(n, p);
        double[] pmf = new double[Math.min(m, n) + 1];
        for (int k = 0; k < pmf.length; k++) pmf[k] = d.probability(k);
        return pmf;
    }

    static double[] binomialPmf(int n, double p) {
        return binomialPmf(n, p, n);
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
        for (String d : dangerous) if (involvesDangerous(g, d)) return d;
        return null;
    }

    /** Whether an exception group names the type anywhere in its cause chain. */
    static boolean involvesDangerous(LogGroup g, String type) {
        if (g.kind() != LogGroup.Kind.EXCEPTION) return false;
        if (g.involves(type)) return true;
        for (String line : lines(g.sample())) {
            String t = throwableHeaderType(line);
            if (t != null && (t.equals(type) || t.endsWith("." + type))) return true;
        }
        return false;
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

    /** One canonical group's counts in the windows of the round. */
    private static final class Tally {
        final LogGroup group;
        long after, afterWarmup, surgeCount, before, reference;
        double historyExposure, referenceExposure;
        final Set<String> instances = new TreeSet<>();
        long firstSwitch = Long.MAX_VALUE;

        Tally(LogGroup group) {
            this.group = group;
        }

        boolean isNew() {
            return after > 0 && before == 0 && reference == 0;
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
