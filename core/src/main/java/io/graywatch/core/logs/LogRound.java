package io.graywatch.core.logs;

import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One round's log counts on a bucket grid, with the exposure behind each count: the seconds an
 * instance was actually up (it had metric samples or logged), or the requests it served where a
 * traffic metric is known. Counting exposure only while an instance is up matters: a replaced
 * instance that has not started yet, or an old one that is gone, logs nothing, and counting its
 * empty time would make every other instance's rate look high.
 *
 * <p>Only buckets that have ended by {@code now} take part in rate comparisons ({@link #complete});
 * the bucket still filling counts for whether a group has been seen at all.
 */
final class LogRound {
    /** An instance of the round; {@code switchAt} is null for reference instances. */
    static final class Member {
        final String id;
        final Long switchAt;
        /** First bucket that ends after the switch: events from here on are the new version's. */
        int switchBucket;
        /** First bucket that starts after the instance's warm-up ended; the warm-up starts when it came up after the switch. */
        int surgeFrom;
        boolean[] alive;
        /** Seconds or requests per bucket, zero where the instance was not up. */
        double[] exposure;

        Member(String id, Long switchAt) {
            this.id = id;
            this.switchAt = switchAt;
        }

        boolean released() { return switchAt != null; }

        double exposure(int from, int to) {
            double s = 0;
            for (int j = Math.max(0, from); j < Math.min(to, exposure.length); j++) s += exposure[j];
            return s;
        }
    }

    final GuardInput input;
    final long now, bucket, origin;
    /** Buckets on the grid, the last one holding {@code now}. */
    final int buckets;
    /** Buckets [0, complete) have ended by {@code now}. */
    final int complete;
    final Map<String, Member> released = new LinkedHashMap<>(), reference = new LinkedHashMap<>();
    /** Group id (canonical) to instance to counts per bucket. */
    final Map<String, Map<String, long[]>> counts = new TreeMap<>();
    final Map<String, LogGroup> groups = new HashMap<>();
    boolean byTraffic;
    private List<Member> members;
    private long[] zeros;

    private LogRound(GuardInput input, long origin, int buckets) {
        this.input = input;
        this.now = input.now();
        this.bucket = input.logs().bucketSeconds();
        this.origin = origin;
        this.buckets = buckets;
        this.complete = origin + (long) buckets * bucket <= now + 1 ? buckets : buckets - 1;
    }

    /** The round, or null when there are no logs or no released instance yet. */
    static LogRound of(GuardInput in) {
        LogData logs = in.logs();
        Set<String> release = in.releaseGroup();
        if (logs == null || logs.counts().isEmpty() || release.isEmpty()) return null;
        long b = logs.bucketSeconds(), now = in.now();
        long firstSwitch = Long.MAX_VALUE;
        for (String i : release) firstSwitch = Math.min(firstSwitch, in.release().switchedAt(i, now));
        long origin = Math.floorDiv(firstSwitch - in.config().historySeconds(), b) * b;
        int buckets = (int) ((Math.floorDiv(now, b) * b - origin) / b) + 1;
        LogRound r = new LogRound(in, origin, buckets);
        for (String i : release) r.released.put(i, new Member(i, in.release().switchedAt(i, now)));
        for (String i : in.referenceGroup()) r.reference.put(i, new Member(i, null));

        Map<String, String> canonical = LogDetector.canonicalIds(logs);
        Map<String, boolean[]> logged = new HashMap<>();
        for (LogCount c : logs.counts()) {
            int j = r.index(c.bucketStart());
            if (j < 0 || j >= buckets || c.count() <= 0) continue;
            Member m = r.member(c.instance());
            if (m == null) continue;
            logged.computeIfAbsent(m.id, k -> new boolean[buckets])[j] = true;
            String id = canonical.getOrDefault(c.groupId(), c.groupId());
            LogGroup g = logs.groups().get(id);
            r.groups.putIfAbsent(id, g != null ? g : new LogGroup(id, LogGroup.Kind.EXCEPTION, null, id, id, id, null));
            r.counts.computeIfAbsent(id, k -> new TreeMap<>()).computeIfAbsent(m.id, k -> new long[buckets])[j] += c.count();
        }
        r.measure(logged);
        return r;
    }

    int index(long t) {
        return (int) Math.floorDiv(t - origin, bucket);
    }

    long start(int j) {
        return origin + j * bucket;
    }

    Member member(String id) {
        Member m = released.get(id);
        return m != null ? m : reference.get(id);
    }

    /** The first bucket any released instance's new version is in. */
    int firstSwitchBucket() {
        int first = buckets;
        for (Member m : released.values()) first = Math.min(first, m.switchBucket);
        return first;
    }

    /** The first bucket any released instance is judged from, past its warm-up; {@link #complete} if none is yet. */
    int firstSurgeBucket() {
        int first = complete;
        for (Member m : released.values()) first = Math.min(first, m.surgeFrom);
        return first;
    }

    /** Released instances first, then the reference group; fixed once the round is built. */
    List<Member> members() {
        if (members == null) {
            List<Member> all = new ArrayList<>(released.values());
            all.addAll(reference.values());
            members = List.copyOf(all);
        }
        return members;
    }

    /** The group's counts per bucket on the instance; read only (an instance that never logged it shares one array of zeros). */
    long[] counts(String group, Member m) {
        long[] c = counts.getOrDefault(group, Map.of()).get(m.id);
        if (c != null) return c;
        if (zeros == null) zeros = new long[buckets];
        return zeros;
    }

    /**
     * When each instance was up, its exposure per bucket and its warm-up. Without any metric samples
     * (logs only) nobody can tell when an instance was up, so every instance counts as up all along.
     */
    private void measure(Map<String, boolean[]> logged) {
        MetricSpec trafficMetric = null;
        for (MetricSpec m : input.metrics().values()) if (m.role() == MetricRole.TRAFFIC && trafficMetric == null) trafficMetric = m;
        boolean scraped = !input.observations().instances().isEmpty();
        long step = input.stepSeconds(), warmup = input.config().warmupSeconds();
        Map<Member, double[]> rps = new HashMap<>();
        boolean traffic = trafficMetric != null;
        int firstLogged = buckets;
        for (boolean[] l : logged.values()) for (int j = 0; j < firstLogged; j++) if (l[j]) { firstLogged = j; break; }
        for (Member m : members()) {
            m.alive = new boolean[buckets];
            boolean[] l = logged.get(m.id);
            long firstSample = Long.MAX_VALUE;
            // the first sample is still alone a step after the switch: whether it was the old process's last, the next scrape tells
            boolean unsure = false;
            if (!scraped) {
                java.util.Arrays.fill(m.alive, firstLogged, buckets, true);
            } else {
                // what it says of when the instance came up (see upBySample), from every metric it reported at once, as a
                // metric missing a scrape here and there is no restart: its scrapes from a scrape and a half before the switch
                long[] reported = new long[0];
                int n = 0;
                // metrics scraped together share their times: once one without a gap has marked them, the others can
                // only mark the same buckets and report the same times again
                List<Series> whole = new ArrayList<>();
                series:
                for (Map.Entry<String, Series> e : input.observations().ofInstance(m.id).entrySet()) {
                    Series s = e.getValue().between(origin, now + 1);
                    for (Series w : whole) if (w.sameTimes(s)) continue series;
                    if (s.finiteBetween(0, s.size())) whole.add(s);
                    for (int k = 0; k < s.size(); k++) {
                        if (!Double.isFinite(s.value(k))) continue;
                        markCovered(m.alive, s.time(k), step);
                        if (!m.released() || 2 * (m.switchAt - s.time(k)) > 3 * step) continue;
                        if (n == reported.length) reported = java.util.Arrays.copyOf(reported, Math.max(16, 2 * n));
                        reported[n++] = s.time(k);
                    }
                }
                if (n > 0) {
                    Series any = Series.of(java.util.Arrays.copyOf(reported, n), new double[n]);
                    int up = any.firstAfterRestart(m.switchAt, step, now);
                    if (up >= 0) {
                        firstSample = any.time(up);
                        unsure = up == any.size() - 1 && firstSample - m.switchAt < step;
                    }
                }
                if (l != null) for (int j = 0; j < buckets; j++) m.alive[j] |= l[j];
                // a scrape or two lost in the middle is no reason to think the instance was down
                for (int j = 1; j + 1 < buckets; j++) if (!m.alive[j] && m.alive[j - 1] && m.alive[j + 1]) m.alive[j] = true;
            }
            if (m.released()) {
                m.switchBucket = index(m.switchAt - 1) + 1;
                long firstLog = Long.MAX_VALUE;
                if (l != null) for (int j = index(m.switchAt) + 1; j < buckets; j++) if (l[j]) { firstLog = start(j); break; }
                long bySample = upBySample(firstSample, firstLog != Long.MAX_VALUE, step, warmup);
                // while unsure, the first line logged after it may be the new process's start: the later of the two
                long up = !scraped ? m.switchAt : unsure && firstLog != Long.MAX_VALUE ? Math.max(bySample, firstLog) : Math.min(bySample, firstLog);
                long warmEnd = up == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(up, m.switchAt) + warmup;
                // an event stamped at the very second the warm-up ends may still be the start-up's (a scrape at t covers the
                // step up to and including t, a log bucket starts at its first second): the bucket holding that second is warm-up
                m.surgeFrom = warmEnd == Long.MAX_VALUE ? buckets : (int) Math.min(buckets, index(warmEnd) + 1);
            }
            if (traffic) {
                double[] v = trafficPerBucket(m, trafficMetric, step);
                if (v == null && anyAlive(m)) traffic = false;
                rps.put(m, v);
            }
        }
        byTraffic = traffic;
        for (Member m : members()) {
            m.exposure = new double[buckets];
            double[] v = rps.get(m);
            for (int j = 0; j < buckets; j++) {
                if (!m.alive[j]) continue;
                double seconds = j < complete ? bucket : now + 1 - start(j);
                m.exposure[j] = byTraffic ? seconds * v[j] : seconds;
            }
        }
    }

    /**
     * When the first sample after the switch says the instance came up: at most a step before it. A sample coarser than
     * the warm-up cannot say it (it may even hold minutes from before the switch), and a warm-up assumed over before the
     * instance started would judge its start-up: the first line it logged says it better, else it came up no more than
     * a warm-up before its first sample.
     */
    private static long upBySample(long firstSample, boolean logged, long step, long warmup) {
        if (firstSample == Long.MAX_VALUE) return Long.MAX_VALUE;
        if (step <= warmup) return firstSample - step;
        return logged ? Long.MAX_VALUE : firstSample - warmup;
    }

    private static boolean anyAlive(Member m) {
        for (boolean a : m.alive) if (a) return true;
        return false;
    }

    /** A sample at t stands for the step before it. */
    private void markCovered(boolean[] alive, long t, long step) {
        int from = Math.max(0, index(t - step)), to = Math.min(buckets - 1, index(t - 1));
        for (int j = from; j <= to; j++) alive[j] = true;
    }

    /**
     * Requests per second in each bucket: the mean of the traffic samples within two buckets of it
     * on the same side of the switch (a lone empty scrape is not an idle instance, and the old
     * version's traffic says nothing of the new one's), else the mean of that side; null without any sample.
     */
    private double[] trafficPerBucket(Member m, MetricSpec metric, long step) {
        Series s = input.observations().series(m.id, metric.name()).between(origin, now + 1);
        double perSecond = metric.requestsPerSecond(1, step);
        double[] sum = new double[buckets];
        int[] n = new int[buckets];
        for (int k = 0; k < s.size(); k++) {
            double v = s.value(k);
            if (!Double.isFinite(v)) continue;
            int j = Math.max(0, Math.min(buckets - 1, index(s.time(k) - 1)));
            sum[j] += v;
            n[j]++;
        }
        int split = m.released() ? Math.min(buckets, m.switchBucket) : buckets;
        int[][] sides = {{0, split}, {split, buckets}};
        double[] sideMean = new double[2];
        int[] sideN = new int[2];
        for (int x = 0; x < 2; x++) {
            double ss = 0;
            for (int j = sides[x][0]; j < sides[x][1]; j++) { ss += sum[j]; sideN[x] += n[j]; }
            sideMean[x] = sideN[x] > 0 ? ss / sideN[x] : Double.NaN;
        }
        if (sideN[0] + sideN[1] == 0) return null;
        // buckets are finer than scrapes, so most hold no sample: walk only those that do
        int[] sampled = new int[buckets];
        int ns = 0;
        for (int j = 0; j < buckets; j++) if (n[j] > 0) sampled[ns++] = j;
        double[] out = new double[buckets];
        for (int x = 0; x < 2; x++) {
            // a side without any sample (the new version not scraped yet) borrows the other side's level
            double fallback = sideN[x] > 0 ? sideMean[x] : sideMean[1 - x];
            int first = 0;
            for (int j = sides[x][0]; j < sides[x][1]; j++) {
                int lo = Math.max(sides[x][0], j - 2), hi = Math.min(sides[x][1] - 1, j + 2);
                while (first < ns && sampled[first] < lo) first++;
                double ws = 0;
                int wn = 0;
                for (int q = first; q < ns && sampled[q] <= hi; q++) { ws += sum[sampled[q]]; wn += n[sampled[q]]; }
                out[j] = (wn > 0 ? ws / wn : fallback) * perSecond;
            }
        }
        return out;
    }
}
