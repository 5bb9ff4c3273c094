package io.graywatch.core.funnel.clean;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.StageSettings.Model;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One metric after cleaning, on the fleet's time grid: per instance, the mean of its samples in
 * each bucket, NaN where nothing was seen (gaps are never filled). A released instance's samples
 * are split into before (until its switch) and after (from the end of its warm-up, within the
 * after window); the warm-up itself is dropped, and so are the first samples after it while the
 * instance still settles (see {@link #settle}). Request metrics leave pre-release instances out:
 * they get no traffic.
 */
public final class MetricSeries {
    /**
     * Which samples an aggregate is built from. RELEASE_SINCE_WARMUP is the after part with the samples of
     * instances still settling kept: where a spike's decay shows, which the settled level alone hides.
     */
    public enum Part { RELEASE_BEFORE, RELEASE_AFTER, REFERENCE, RELEASE_SINCE_WARMUP }

    /** How instance values are combined per bucket for the rules; COUNT is how many instances have a value. */
    public enum Reduce { SUM, MEAN, MEDIAN, COUNT }

    /** Samples an instance's level is taken from: enough for a stable median, recent enough to be the level at the switch. */
    public static final int LEVEL_SAMPLES = 30;

    private final MetricSpec spec;
    private final Fleet fleet;
    private final List<Fleet.Member> released;
    private final List<Fleet.Member> reference;
    /** [member][bucket]; released members first, then reference members. */
    private final double[][] values;
    /** [part][member]: the buckets from..to (inclusive) in which a member belongs to a part; empty when from > to. */
    private final int[][] from;
    private final int[][] to;
    /** Per member, its level in the shared baseline (median), NaN if unknown; worked out when first needed: see {@link #hasLevels()}. */
    private double[] levels;
    /** The median of the instances' own levels: the level of an instance that has none of its own. */
    private double fleetLevel = Double.NaN;
    private Model model;
    private Model requested;
    /** The 1-based batch the released instances are limited to, 0 for the whole release group. */
    private int batch;
    private final double[][] aggregates = new double[Part.values().length][];
    /** The raw samples, for what cleaning dropped and a stage still needs to see: see {@link #warmupTail()}. */
    private Observations observations;

    /** Every metric of the round and the history looked at: see {@link #warmedUpVisibly()}. */
    private Collection<MetricSpec> allMetrics;
    private long historySeconds;
    /** See {@link #stillFading()}. */
    private boolean fading;

    private MetricSeries(MetricSpec spec, Fleet fleet, List<Fleet.Member> released, List<Fleet.Member> reference,
                         double[][] values, int[][] from, int[][] to) {
        this.spec = spec;
        this.fleet = fleet;
        this.released = released;
        this.reference = reference;
        this.values = values;
        this.from = from;
        this.to = to;
    }

    /** Metrics about requests mean nothing on instances that get no user traffic. */
    public static boolean aboutRequests(MetricRole role) {
        return role == MetricRole.TRAFFIC || role == MetricRole.LATENCY || role == MetricRole.ERROR_RATE
                || role == MetricRole.SUCCESS_RATE;
    }

    /** The metric that counts requests (the first of role TRAFFIC), or null. */
    public static MetricSpec trafficMetric(Map<String, MetricSpec> metrics) {
        return metrics.values().stream().filter(m -> m.role() == MetricRole.TRAFFIC && !Fleet.isStartTime(m.name())).findFirst().orElse(null);
    }

    /** @param model how the stages want changes expressed; ratios fall back to differences when a level is not positive */
    public static MetricSeries of(GuardInput input, Fleet fleet, MetricSpec spec, Model model) {
        return of(input, fleet, spec, model, aboutRequests(spec.role()) ? fleet.serving() : fleet.released(), 0, null);
    }

    /**
     * The metric on one batch of the release group only: the batch that has run the new version
     * longest shows a leak or a ramp first, before younger batches (their memory still refilling
     * after the restart) dilute it in the group's aggregate.
     */
    public MetricSeries ofBatch(GuardInput input, int batch) {
        return ofMembers(input, m -> m.batch() == batch, batch);
    }

    /** The metric on the released instances that switched before {@code t} only (with the batch label of the whole group). */
    public MetricSeries switchedBefore(GuardInput input, long t) {
        return ofMembers(input, m -> m.switchAt() < t, 0);
    }

    /** The metric on the instances of {@link Fleet#joinedBy}: whether they changed when the latest batch joined. */
    public MetricSeries joinedBy(GuardInput input, Fleet joined) {
        Set<String> here = new HashSet<>();
        for (Fleet.Member m : released) here.add(m.id());
        return of(input, joined, spec, requested, joined.released().stream().filter(m -> here.contains(m.id())).toList(), 0, rows());
    }

    private MetricSeries ofMembers(GuardInput input, Predicate<Fleet.Member> keep, int batch) {
        return of(input, fleet, spec, requested, released.stream().filter(keep).toList(), batch, rows());
    }

    /** The cleaned rows by instance: the same for any part of the fleet (cleaning and trimming look at one instance at a time), only levels are redone. */
    private Map<String, double[]> rows() {
        Map<String, double[]> rows = new HashMap<>();
        for (int i = 0; i < values.length; i++) rows.put(i < released.size() ? released.get(i).id() : reference.get(i - released.size()).id(), values[i]);
        return rows;
    }

    private static MetricSeries of(GuardInput input, Fleet fleet, MetricSpec spec, Model model, List<Fleet.Member> rel, int batch,
                                   Map<String, double[]> cleaned) {
        List<Fleet.Member> ref = fleet.reference();
        int n = rel.size() + ref.size(), last = fleet.buckets() - 1, afterStart = fleet.afterWindowStart();
        double[][] values = new double[n][];
        int parts = Part.values().length;
        int[][] from = new int[parts][n], to = new int[parts][n];
        for (int[] f : from) Arrays.fill(f, 0);
        for (int[] t : to) Arrays.fill(t, -1);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ids.add(i < rel.size() ? rel.get(i).id() : ref.get(i - rel.size()).id());
        Series[] raw = input.observations().column(spec.name(), ids);
        for (int i = 0; i < n; i++) {
            Fleet.Member m = i < rel.size() ? rel.get(i) : ref.get(i - rel.size());
            double[] known = cleaned == null ? null : cleaned.get(m.id());
            double[] row = known != null ? known : bucketMeans(input, fleet, m, raw[i]);
            if (m.released()) {
                int lastBefore = fleet.lastBefore(m);
                values[i] = row;
                to[Part.RELEASE_BEFORE.ordinal()][i] = lastBefore;
                for (Part p : List.of(Part.RELEASE_AFTER, Part.RELEASE_SINCE_WARMUP)) {
                    from[p.ordinal()][i] = Math.max(lastBefore + 1, afterStart);
                    to[p.ordinal()][i] = last;
                }
            } else {
                values[i] = row;
                to[Part.REFERENCE.ordinal()][i] = last;
            }
        }
        MetricSeries ms = new MetricSeries(spec, fleet, rel, ref, values, from, to);
        ms.requested = model;
        ms.batch = batch;
        ms.observations = input.observations();
        ms.allMetrics = input.metrics().values();
        ms.historySeconds = input.config().historySeconds();
        if (input.config().trimOutliers() && cleaned == null) ms.trim();
        ms.settle(input.config().minSamples());
        ms.model = model == Model.RATIO && ms.allLevelsPositive() ? Model.RATIO : Model.DIFFERENCE;
        return ms;
    }

    /**
     * Per bucket, the mean of the instance's samples s of a metric in it, NaN where none is kept: see
     * {@link Layout#of}. The instance's other series were most likely scraped at the same moments.
     */
    private static double[] bucketMeans(GuardInput input, Fleet fleet, Fleet.Member m, Series s) {
        Layout shared = fleet.layout(m.id());
        if (shared != null && shared.fits(s, fleet)) return shared.means(s, fleet.buckets());
        Layout own = Layout.of(s, fleet, m.released() ? m.switchAt() : Long.MAX_VALUE,
                m.released() ? input.servingSince().get(m.id()) : null, m.released() ? fleet.lastBefore(m) : fleet.buckets() - 1);
        if (shared == null && own.complete()) fleet.keepLayout(m.id(), own);
        return own.means(s, fleet.buckets());
    }

    /**
     * A fresh instance settles after its warm-up (cold caches, JIT, connection pools fill): its first
     * samples after the switch that stand further the bad way than every later one, and than where it
     * settled (their median) by at least the metric's minimum effect (relative to that or to its level
     * before the switch, whichever is larger: noise grows with a step), are still coming down from the
     * deploy spike and leave its after part. A step stays level and a ramp rises: they keep theirs. Only
     * judged with {@code later} samples after them, so that where the instance settled is known. A spike
     * seen fading (on the warm-up minute and the next, then on every minute since the switch) is also waited
     * out for as long as its decay says it stands out by the minimum effect ({@link Warming#fadesUntil}): its
     * noisy tail is not monotone.
     */
    private void settle(int later) {
        int p = Part.RELEASE_AFTER.ordinal();
        double[] rest = new double[fleet.buckets()];
        for (int i = 0; i < released.size(); i++) {
            double[] v = values[i];
            int b = fleet.lastBefore(released.get(i)) + 1, last = to[p][i];
            while (b <= last && Double.isNaN(v[b])) b++;
            // a metric bad either way settles from whichever side its first minute stood on: a deploy spike
            // lifts latency and CPU and can hold traffic down while a load balancer ramps the instance up
            double sign = switch (spec.bad()) {
                case INCREASE -> 1;
                case DECREASE -> -1;
                case EITHER -> b <= last ? Math.signum(v[b] - levels()[i]) : 0;
            };
            if (sign == 0 || Double.isNaN(sign)) continue;
            int settled = b;
            for (; b <= last; b++) {
                if (Double.isNaN(v[b])) continue;
                int n = 0;
                double worst = Double.NEGATIVE_INFINITY;
                for (int k = b + 1; k <= last; k++) {
                    if (Double.isNaN(v[k])) continue;
                    rest[n++] = v[k];
                    worst = Math.max(worst, sign * v[k]);
                }
                if (n < later || sign * v[b] <= worst) break;
                double settledAt = Stats.medianInPlace(rest, n), excess = Math.abs(v[b] - settledAt);
                double scale = Math.max(Math.abs(settledAt), Math.abs(levels()[i]));
                if (excess < minAbsoluteEffect() || !(excess >= spec.minRelativeEffect() * scale)) break;
                settled = b + 1;
            }
            // a spike seen fading on the warm-up minute and the next is waited out by its own decay
            long fades = Warming.fadesUntil(observations.series(released.get(i).id(), spec.name()), released.get(i).switchAt(),
                    historySeconds, sign, fleet.step(), fleet.now(), Math.max(minAbsoluteEffect(), spec.minRelativeEffect() * Math.abs(levels()[i])));
            while (settled <= last && fleet.from() + (long) settled * fleet.step() < fades) settled++;
            if (fades > fleet.now()) fading = true;
            if (settled > from[p][i]) from[p][i] = settled;
        }
    }

    /** Kayenta's outlier removal: per instance and part, samples beyond 1.5 IQR become gaps. */
    private void trim() {
        for (int i = 0; i < values.length; i++)
            // the after part's samples are trimmed as such, not twice
            for (Part p : Part.values()) if (p != Part.RELEASE_SINCE_WARMUP) trimRange(values[i], from[p.ordinal()][i], to[p.ordinal()][i]);
    }

    private static void trimRange(double[] v, int a, int b) {
        if (b - a < 3) return;
        double[] finite = new double[b - a + 1];
        int n = 0;
        for (int k = a; k <= b; k++) if (Double.isFinite(v[k])) finite[n++] = v[k];
        if (n < 4) return;
        double[] sorted = Arrays.copyOf(finite, n);
        Arrays.sort(sorted);
        double q1 = Stats.quantileSorted(sorted, 0.25), q3 = Stats.quantileSorted(sorted, 0.75), iqr = q3 - q1;
        for (int k = a; k <= b; k++) if (v[k] < q1 - 1.5 * iqr || v[k] > q3 + 1.5 * iqr) v[k] = Double.NaN;
    }

    /**
     * Each instance's level just before the first batch (the median of its last {@link #LEVEL_SAMPLES}
     * samples then), when every instance still ran the old version. An instance with no samples
     * there (a replacement pod) borrows its own later history, or else the fleet's level.
     */
    private double[] levels() {
        if (levels != null) return levels;
        double[] scratch = new double[fleet.buckets()];
        levels = new double[values.length];
        double[] known = new double[values.length];
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            levels[i] = ownLevel(i, scratch);
            if (Double.isFinite(levels[i])) known[k++] = levels[i];
        }
        if (k == 0) return levels;
        fleetLevel = Stats.medianInPlace(known, k);
        for (int i = 0; i < levels.length; i++) if (Double.isNaN(levels[i])) levels[i] = fleetLevel;
        return levels;
    }

    /** Member i's level from its own samples, NaN when it has none there. */
    private double ownLevel(int i, double[] scratch) {
        int baseEnd = fleet.baselineEnd(), before = to[Part.RELEASE_BEFORE.ordinal()][i];
        if (i >= released.size()) return recentMedian(values[i], baseEnd, scratch);
        double level = recentMedian(values[i], Math.min(baseEnd, before), scratch);
        return Double.isNaN(level) ? recentMedian(values[i], before, scratch) : level;
    }

    /** Median of the last {@link #LEVEL_SAMPLES} values at or before bucket b. */
    private static double recentMedian(double[] v, int b, double[] scratch) {
        int n = 0;
        for (int k = Math.min(b, v.length - 1); k >= 0 && n < LEVEL_SAMPLES; k--) if (!Double.isNaN(v[k])) scratch[n++] = v[k];
        return Stats.medianInPlace(scratch, n);
    }

    /**
     * How far apart instances of the same version sit, in model units: the scaled MAD of the reference
     * instances' levels around the fleet's. Released instances with no history of their own are
     * compared with the reference across instances, so this much of a difference is no evidence.
     */
    public double referenceSpread() {
        int n = reference.size();
        if (n < 3) return 0;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = levels()[released.size() + i];
        double centre = Stats.median(x);
        for (int i = 0; i < n; i++) x[i] = model == Model.RATIO && centre > 0 ? Math.log(x[i] / centre) : x[i] - centre;
        for (int i = 0; i < n; i++) x[i] = Math.abs(x[i]);
        return 1.4826 * Stats.medianInPlace(x, n);
    }

    /** Reference instances needed before their differences from one another stand for a fresh instance's: see {@link #peerDeviations()}. */
    public static final int MIN_PEERS = 3;

    /**
     * What an instance without history of its own looks like against the reference group when nothing is wrong
     * with it, in the model units of {@link #aggregate}: for each reference instance and each baseline bucket, its
     * value normalised by the fleet's level (as a fresh instance's is, having no level of its own) less the mean of
     * the other reference instances there. The group's own swings (the day, a surge) cancel in that difference and
     * what is left is how far one instance sits apart and how much it wanders on its own, which is what the
     * released instances' difference from the reference must be told from. Null with fewer than
     * {@link #MIN_PEERS} reference instances, or for counts, which are pooled before they are normalised.
     */
    public double[] peerDeviations() {
        int first = released.size(), n = values.length - first, end = Math.min(fleet.baselineEnd(), fleet.buckets() - 1);
        if (n < MIN_PEERS || end < 0 || (model == Model.RATIO && counts())) return null;
        double[] lv = levels();
        if (Double.isNaN(fleetLevel)) return null;
        boolean ratio = model == Model.RATIO;
        double[] sum = new double[end + 1];
        int[] m = new int[end + 1];
        for (int j = first; j < values.length; j++) {
            for (int b = 0; b <= end; b++) {
                double v = values[j][b];
                if (Double.isNaN(v)) continue;
                sum[b] += ratio ? logRatio(v, lv[j]) : v - lv[j];
                m[b]++;
            }
        }
        // instance by instance, in time order: a rank test reads their autocorrelation from consecutive samples
        double[] out = new double[n * (end + 1)];
        int k = 0;
        for (int j = first; j < values.length; j++) {
            for (int b = 0; b <= end; b++) {
                double v = values[j][b];
                if (Double.isNaN(v) || m[b] < MIN_PEERS) continue;
                double own = ratio ? logRatio(v, lv[j]) : v - lv[j], fresh = ratio ? logRatio(v, fleetLevel) : v - fleetLevel;
                out[k++] = fresh - (sum[b] - own) / (m[b] - 1);
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** Standard errors of {@link #referenceSpread()} that a comparison across instances discounts. */
    static final double SPREAD_ERRORS = 2;

    /**
     * How much of a difference between the released instances and the reference group, in model units,
     * instances of one version show anyway: {@link #SPREAD_ERRORS} standard errors of the spread for the
     * released instances' mean. Only comparisons across instances (no history of their own) need it.
     */
    public double acrossInstancesMargin() {
        return SPREAD_ERRORS * referenceSpread() / Math.sqrt(Math.max(1, released.size()));
    }

    private boolean allLevelsPositive() {
        for (double l : levels()) if (!(l > 0)) return false;
        return true;
    }

    /** How values are normalised: see {@link #aggregate(Part)}. */
    public Model model() { return model; }

    /**
     * Per bucket, the trimmed mean over the part's instances of each value relative to the instance's
     * own level: the log of value / level (RATIO) or value − level (DIFFERENCE). NaN where no instance
     * has data. Normalising first keeps instances of different sizes comparable when some have gaps,
     * and trimming keeps one noisy instance from speaking for its group. Logs make a change that
     * multiplies everyone's value (a surge) cancel exactly in a difference-in-differences; a
     * hundredth of the level is added so that a value of zero stays finite.
     * The array is shared: callers must not change it.
     */
    public double[] aggregate(Part part) {
        double[] cached = aggregates[part.ordinal()];
        if (cached != null) return cached;
        int[] f = from[part.ordinal()], t = to[part.ordinal()];
        int buckets = fleet.buckets();
        boolean ratio = model == Model.RATIO;
        // counts are pooled before they are normalised: the part's total in the bucket over the total of its
        // instances' levels. A few orders a minute per instance are zero now and then by chance alone, and
        // a zero's log ratio would outweigh everything else in a mean of ratios
        boolean pooled = ratio && counts();
        boolean[] compared = part == Part.REFERENCE ? compared() : null;
        // one instance at a time along its own row, each bucket's sums still adding up in instance order: the
        // same numbers as a pass over the instances per bucket, without touching buckets outside the part
        double[] sum = new double[buckets];
        if (lows == null) {
            // scratch shared by the parts
            lows = new double[buckets];
            highs = new double[buckets];
            samplesIn = new int[buckets];
            kept = new double[buckets];
            keptAt = new int[buckets];
        }
        double[] lo = lows, hi = highs, level = lows, x = kept;
        int[] n = samplesIn, at = keptAt;
        Arrays.fill(n, 0);
        Arrays.fill(lo, pooled ? 0 : Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int i = firstMember(part), last = endMember(part); i < last; i++) {
            double[] row = values[i];
            double li = levels()[i];
            int m = 0;
            for (int b = Math.max(0, f[i]), end = Math.min(t[i], buckets - 1); b <= end; b++) {
                if (Double.isNaN(row[b]) || (compared != null && !compared[b])) continue;
                x[m] = row[b];
                at[m++] = b;
            }
            if (pooled) {
                for (int j = 0; j < m; j++) {
                    n[at[j]]++;
                    sum[at[j]] += x[j];
                    level[at[j]] += li;
                }
                continue;
            }
            // the logs in a loop of their own: nothing else there waits for them, and nothing has to be kept
            // aside around each call, which makes them a third cheaper than in the loop that adds them up
            if (ratio) {
                for (int j = 0; j < m; j++) x[j] = ratioToLevel(x[j], li);
                for (int j = 0; j < m; j++) x[j] = Math.log(x[j]) - LOG_OFFSET;
            } else {
                for (int j = 0; j < m; j++) x[j] -= li;
            }
            for (int j = 0; j < m; j++) {
                int b = at[j];
                n[b]++;
                sum[b] += x[j];
                lo[b] = Math.min(lo[b], x[j]);
                hi[b] = Math.max(hi[b], x[j]);
            }
        }
        double[] out = sum;
        for (int b = 0; b < buckets; b++) {
            int k = n[b];
            if (k == 0) out[b] = Double.NaN;
            else if (pooled) out[b] = logRatio(sum[b], level[b]);
            else out[b] = Stats.trimmedMean(sum[b], lo[b], hi[b], k);
        }
        aggregates[part.ordinal()] = out;
        return out;
    }

    /** Per bucket, while a part is aggregated: its lowest and highest normalised values (or its levels' total), and how many. */
    private double[] lows, highs;
    private int[] samplesIn;
    /** One instance's values in the part, while it is aggregated, and their buckets. */
    private double[] kept;
    private int[] keptAt;

    /**
     * Per bucket, whether the reference is compared there: in the shared baseline and the released
     * instances' before parts, or in their after parts (settling included). Buckets in between (after a
     * batch's warm-up but older than the after window) and yesterday's are never compared with the reference.
     */
    private boolean[] compared() {
        int[] beforeTo = to[Part.RELEASE_BEFORE.ordinal()], afterFrom = from[Part.RELEASE_SINCE_WARMUP.ordinal()];
        int lastBefore = fleet.baselineEnd(), firstAfter = Integer.MAX_VALUE;
        for (int i = 0; i < released.size(); i++) {
            lastBefore = Math.max(lastBefore, beforeTo[i]);
            firstAfter = Math.min(firstAfter, afterFrom[i]);
        }
        boolean[] out = new boolean[fleet.buckets()];
        for (int b = 0; b < out.length; b++) out[b] = b <= lastBefore || b >= firstAfter;
        return out;
    }

    private Boolean counts;

    /**
     * Whether the metric counts events (orders, checkouts per step): a metric of no other role whose
     * every value is a whole number.
     */
    public boolean counts() {
        if (counts == null) counts = spec.role() == MetricRole.OTHER && wholeNumbers();
        return counts;
    }

    private boolean wholeNumbers() {
        boolean any = false;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isNaN(v)) continue;
                if (v < 0 || v != Math.rint(v)) return false;
                any = true;
            }
        }
        return any;
    }

    private static final double LOG_OFFSET = Math.log1p(0.01);

    private static double logRatio(double v, double level) {
        return Math.log(ratioToLevel(v, level)) - LOG_OFFSET;
    }

    private static double ratioToLevel(double v, double level) {
        return Math.max(v / level + 0.01, 1e-3);
    }

    /**
     * Whether a released instance of this metric is still within a deploy spike's decay ({@link Warming#fadesUntil}):
     * what it shows now cannot yet be told from the spike's tail.
     */
    public boolean stillFading() {
        return fading;
    }

    /**
     * Whether a released instance came visibly down from a deploy spike from its warm-up minute to the next, in any of its
     * metrics ({@link Warming#visible}): what a judgement on those two minutes has to rule out.
     */
    public boolean warmedUpVisibly() {
        return Warming.visible(observations, allMetrics, released, historySeconds, fleet.step(), fleet.now());
    }

    /** Whether a released instance came up through a deploy spike in any of its other metrics ({@link Warming#spiked}). */
    public boolean othersSpiked() {
        return Warming.spiked(observations, allMetrics, released, historySeconds, fleet.step(), fleet.now(), spec.name());
    }

    /** Whether another of a released instance's metrics could show a deploy spike ({@link Warming#witnessed}). */
    public boolean spikeWitnessed() {
        return Warming.witnessed(observations, allMetrics, released, historySeconds, spec.name());
    }

    /**
     * Whether a released instance is still coming down from its deploy spike now, in any of its metrics: one that
     * spiked stands out by its decay until now ({@link Warming#stillVisible}).
     */
    public boolean stillWarming() {
        return Warming.stillVisible(observations, allMetrics, released, historySeconds, fleet.step(), fleet.now());
    }

    /**
     * The release group's last warm-up minute (the bucket just before its first sample since the warm-up,
     * from the raw samples the warm-up dropped) minus the reference group's same minute, normalised as
     * {@link #aggregate(Part)} does; NaN when either is unknown. A judgement on the first sample or two
     * after the warm-up asks it whether the value is still coming down from a deploy spike.
     */
    public double warmupTail() {
        double[] raw = warmupTailRaw();
        if (raw == null || reference.isEmpty()) return Double.NaN;
        return normalisedAt(raw, 0, released.size()) - normalisedAt(raw, released.size(), values.length);
    }

    /** The release group's own last warm-up minute, combined as {@link #aggregate(Part)} combines it; NaN when unknown. */
    public double ownWarmupTail() {
        double[] raw = warmupTailRaw();
        return raw == null ? Double.NaN : normalisedAt(raw, 0, released.size());
    }

    /**
     * The raw values of the last warm-up minute (the bucket just before the released instances' first sample since
     * the warm-up): per member as {@link #row} orders them, the released ones' from the samples the warm-up dropped,
     * NaN where a member has none; null when that minute is not after the baseline.
     */
    public double[] warmupTailRaw() {
        int b = firstBucket(Part.RELEASE_SINCE_WARMUP) - 1;
        if (b <= fleet.baselineEnd() || b >= fleet.buckets()) return null;
        long start = fleet.from() + b * fleet.step(), end = start + fleet.step();
        double[] raw = new double[values.length];
        for (int i = 0; i < released.size(); i++) {
            Series s = observations.series(released.get(i).id(), spec.name()).between(Math.max(start, released.get(i).switchAt()), end);
            double[] v = s.finiteValues();
            raw[i] = v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElseThrow();
        }
        for (int i = released.size(); i < values.length; i++) raw[i] = values[i][b];
        return raw;
    }

    /** One bucket's values of rows [a, z) combined as {@link #aggregate(Part)} combines them. */
    private double normalisedAt(double[] raw, int a, int z) {
        boolean ratio = model == Model.RATIO, pooled = ratio && counts();
        double sum = 0, level = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (int i = a; i < z; i++) {
            if (Double.isNaN(raw[i])) continue;
            n++;
            if (pooled) {
                sum += raw[i];
                level += levels[i];
                continue;
            }
            double x = ratio ? logRatio(raw[i], levels[i]) : raw[i] - levels[i];
            sum += x;
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        if (n == 0) return Double.NaN;
        return pooled ? logRatio(sum, level) : Stats.trimmedMean(sum, lo, hi, n);
    }

    /** 1 when the metric is in percent, 0.01 when it is a share in [0, 1]: by its unit, else by its values. */
    public double percentScale() {
        if (spec.inPercentByUnit()) return 1;
        if (spec.fractionByUnit()) return 0.01;
        // a point of a CPU counted in cores is a hundredth of one core
        if (!Double.isNaN(spec.unitsPerCore())) return spec.unitsPerCore() / 100;
        // by the values, once: every minimum-effect check of an error rate asks
        if (Double.isNaN(percentScaleByValues)) percentScaleByValues = rawMax() <= 1 ? 0.01 : 1;
        return percentScaleByValues;
    }

    private double percentScaleByValues = Double.NaN;

    /**
     * The spec's minimum absolute effect in the metric's own unit: a default in percentage points ({@link
     * MetricSpec#defaultPoints}) scaled to the metric's values, a hundredth of it for a share in [0, 1].
     */
    public double minAbsoluteEffect() {
        double points = spec.defaultPoints();
        return Double.isNaN(points) ? spec.minAbsoluteEffect() : points * percentScale();
    }

    /** A shift of normalised values as a share of the level: +0.25 = 25% higher. */
    public double relative(double shift) {
        return model == Model.RATIO ? Math.expm1(shift) : shift / Math.max(Math.abs(releaseLevel()), 1e-9);
    }

    /** A shift of normalised values in the metric's unit, at the released instances' level. */
    public double absolute(double shift) {
        return model == Model.RATIO ? Math.expm1(shift) * releaseLevel() : shift;
    }

    /** The raw values of a part's instances in bucket b combined; NaN when none has data there. */
    public double inBucket(Part part, Reduce reduce, int b) {
        int[] f = from[part.ordinal()], t = to[part.ordinal()];
        double[] scratch = new double[values.length];
        int n = 0;
        double sum = 0;
        for (int i = firstMember(part), end = endMember(part); i < end; i++) {
            double v = values[i][b];
            if (b < f[i] || b > t[i] || Double.isNaN(v)) continue;
            scratch[n++] = v;
            sum += v;
        }
        if (reduce == Reduce.COUNT) return n;
        if (n == 0) return Double.NaN;
        return switch (reduce) {
            case COUNT -> n;
            case SUM -> sum;
            case MEAN -> sum / n;
            case MEDIAN -> Stats.medianInPlace(scratch, n);
        };
    }

    /** The first row of a part's instances: released ones come first, then reference ones; other rows have empty ranges in it. */
    private int firstMember(Part part) {
        return part == Part.REFERENCE ? released.size() : 0;
    }

    /** One past the last row of a part's instances. */
    private int endMember(Part part) {
        return part == Part.REFERENCE ? values.length : released.size();
    }

    /** Sum and number of instance-bucket samples of a part within buckets [a, b]: what a rate test needs. */
    public Totals totals(Part part, int a, int b) {
        int[] f = from[part.ordinal()], t = to[part.ordinal()];
        double sum = 0, sumSq = 0;
        int n = 0, buckets = 0;
        int first = firstMember(part), end = endMember(part);
        for (int k = Math.max(0, a); k <= b && k < fleet.buckets(); k++) {
            int before = n;
            for (int i = first; i < end; i++) {
                double v = values[i][k];
                if (k < f[i] || k > t[i] || Double.isNaN(v)) continue;
                sum += v;
                sumSq += v * v;
                n++;
            }
            if (n > before) buckets++;
        }
        return new Totals(sum, sumSq, n, buckets);
    }

    /**
     * A sum of counts over instance-bucket samples.
     *
     * @param n       instance-bucket samples
     * @param buckets time buckets with at least one sample: what {@code minSamples} counts
     */
    public record Totals(double sum, double sumSq, int n, int buckets) {
        public double mean() { return n == 0 ? Double.NaN : sum / n; }

        public Totals plus(Totals o) { return new Totals(sum + o.sum, sumSq + o.sumSq, n + o.n, Math.max(buckets, o.buckets)); }
    }

    /** Median of the raw values of a part within buckets [a, b], for sentences people read. */
    public double rawMedian(Part part, int a, int b) {
        int[] f = from[part.ordinal()], t = to[part.ordinal()];
        int first = firstMember(part), end = endMember(part), most = 0;
        for (int i = first; i < end; i++) most += Math.max(0, Math.min(b, t[i]) - Math.max(a, f[i]) + 1);
        double[] scratch = new double[most];
        int n = 0;
        for (int i = first; i < end; i++)
            for (int k = Math.max(a, f[i]); k <= Math.min(b, t[i]); k++)
                if (!Double.isNaN(values[i][k])) scratch[n++] = values[i][k];
        return Stats.medianInPlace(scratch, n);
    }

    /** The largest value seen on any instance: tells a share in [0, 1] from a percentage. */
    public double rawMax() {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : values) for (double v : row) if (v > max) max = v;
        return max;
    }

    /** Median level of the released instances in the baseline, in the metric's unit. */
    public double releaseLevel() {
        if (releaseLevel == null) {
            // every effect's size is put in the metric's terms with it
            double[] l = Arrays.copyOf(levels(), released.size());
            releaseLevel = Stats.medianInPlace(l, l.length);
        }
        return releaseLevel;
    }

    private Double releaseLevel;

    /** First bucket of the after part: where any released instance is past its warm-up and settled, within the after window. */
    public int firstAfterBucket() {
        return firstBucket(Part.RELEASE_AFTER);
    }

    /** First bucket with a sample of the released instances in a part of theirs. */
    public int firstBucket(Part part) {
        int[] f = from[part.ordinal()], t = to[part.ordinal()];
        int first = Integer.MAX_VALUE;
        for (int i = 0; i < released.size(); i++) {
            for (int b = f[i]; b <= t[i] && b < first; b++) {
                if (!Double.isNaN(values[i][b])) {
                    first = b;
                    break;
                }
            }
        }
        return first == Integer.MAX_VALUE ? fleet.buckets() : first;
    }

    /**
     * Member i's cleaned samples per bucket, released members first, then reference ones; NaN where none is
     * kept (a gap, the deploy warm-up). Shared: callers must not change it.
     */
    public double[] row(int i) { return values[i]; }

    /** The last bucket of member i on the old version: its switch for a released member, now for a reference one. */
    public int lastOnOldVersion(int i) { return i < released.size() ? to[Part.RELEASE_BEFORE.ordinal()][i] : fleet.buckets() - 1; }

    public MetricSpec spec() { return spec; }

    /** The 1-based batch the released instances are limited to, 0 for the whole release group. */
    public int batch() { return batch; }

    public Fleet fleet() { return fleet; }

    public List<Fleet.Member> released() { return released; }

    public List<Fleet.Member> reference() { return reference; }

    /**
     * Whether every member's level is known. One member with a level of its own is enough (the others
     * take the fleet's), and the first usually has one: rate tests, which never normalise by levels, need
     * no more than that.
     */
    public boolean hasLevels() {
        if (values.length == 0) return false;
        if (levels == null) {
            double[] scratch = new double[fleet.buckets()];
            for (int i = 0; i < values.length; i++) if (Double.isFinite(ownLevel(i, scratch))) return true;
        }
        for (double l : levels()) if (Double.isNaN(l)) return false;
        return true;
    }
}
