package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who is who in this round, and the time grid every stage shares. The grid starts
 * {@code historySeconds} before the first batch, aligned to the step, so that samples scraped
 * at the same moment on different instances fall into the same bucket.
 */
public final class Fleet {
    /**
     * An instance taking part in the round. {@code switchAt} is null for reference instances; {@code batch}
     * is the 1-based position of its batch in the release (as people count batches, whatever the source's
     * own numbering), -1 for reference instances.
     */
    public record Member(String id, Long switchAt, boolean serving, int batch) {
        public boolean released() { return switchAt != null; }
    }

    private final long from;
    private final long step;
    private final long now;
    private final long firstSwitch;
    private final long warmup;
    private final long afterWindow;
    /** The first bucket an after part may start in: see {@link #joinedBy}. */
    private final int afterFrom;
    /** The batch whose joining this fleet is asked about, 0 for the release as a whole: see {@link #joinedBy}. */
    private final int joinedBatch;
    private final List<Member> released;
    private final List<Member> reference;
    /** The released members that serve: every request metric of the round asks for them. */
    private final List<Member> serving;
    private final Map<String, String> ignored;
    /** Per instance, the layout its series share this round: see {@link Layout}. */
    private final Map<String, Layout> layouts = new HashMap<>();

    private Fleet(long from, long step, long now, long firstSwitch, long warmup, long afterWindow, int afterFrom, int joinedBatch, List<Member> released,
                  List<Member> reference, Map<String, String> ignored) {
        this.from = from;
        this.step = step;
        this.now = now;
        this.firstSwitch = firstSwitch;
        this.warmup = warmup;
        this.afterWindow = afterWindow;
        this.afterFrom = afterFrom;
        this.joinedBatch = joinedBatch;
        this.released = released;
        this.reference = reference;
        this.serving = released.stream().filter(Member::serving).toList();
        this.ignored = ignored;
    }

    /** The fleet at {@code input.now()}, or null before the first batch has started. */
    public static Fleet of(GuardInput input) {
        List<Batch> started = input.release().startedBy(input.now());
        if (started.isEmpty()) return null;
        long step = input.stepSeconds();
        long firstSwitch = started.stream().mapToLong(Batch::at).min().orElseThrow();
        long from = Math.floorDiv(firstSwitch - input.config().historySeconds(), step) * step;
        long warmup = input.config().warmupSeconds();
        Map<String, String> ignored = new LinkedHashMap<>();
        // instances mostly report the same metrics: each name is looked at once
        List<String> startTimes = input.observations().metrics().stream().filter(Fleet::isStartTime).toList();
        List<Member> released = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int k = 0; k < started.size(); k++) {
            Batch b = started.get(k);
            for (String id : b.instances()) {
                if (!seen.add(id)) continue;
                Member m = new Member(id, b.at(), !b.preRelease(), k + 1);
                String restart = restart(input, m, from, warmup, startTimes);
                if (restart != null) ignored.put(id, restart); else released.add(m);
            }
        }
        List<Member> reference = new ArrayList<>();
        for (String id : input.referenceGroup()) {
            // a pod of a later batch that does not exist yet (listed by name only) has nothing to compare with
            if (!reported(input.observations(), id)) continue;
            Member m = new Member(id, null, true, -1);
            String restart = restart(input, m, from, warmup, startTimes);
            if (restart != null) ignored.put(id, restart); else reference.add(m);
        }
        return new Fleet(from, step, input.now(), firstSwitch, warmup, input.config().afterWindowSeconds(), 0, 0, List.copyOf(released),
                List.copyOf(reference), Collections.unmodifiableMap(ignored));
    }

    /**
     * The instances already on the new version when the latest batch joined, asked whether they changed when it did;
     * null before a second batch. A fault that shows only once more instances serve the new version (load, a shared
     * resource, a migration the batch set off) hits all of them at that moment, and their quiet time on the new
     * version before it would dilute it in the group's whole after part. Here the batch's time is their switch,
     * everything they showed before it (on either version) is their history, and their after part begins once the
     * batch's own warm-up is over: its restarts move load onto them meanwhile. The batch's instances are left out,
     * their deploy spike is theirs.
     */
    public Fleet joinedBy() {
        Member latest = released.stream().max(Comparator.comparingLong(Member::switchAt)).orElse(null);
        if (latest == null || latest.switchAt() <= firstSwitch) return null;
        long t = latest.switchAt();
        List<Member> earlier = released.stream().filter(m -> m.switchAt() < t).map(m -> new Member(m.id(), t, m.serving(), m.batch())).toList();
        int quiet = (int) Math.floorDiv(t + warmup - from + step - 1, step);
        // its series are taken from the round's cleaned rows (MetricSeries#joinedBy): it needs no layouts of its own
        return new Fleet(from, step, now, t, warmup, afterWindow, quiet, latest.batch(), earlier, reference, ignored);
    }

    /** Whether the instance has a finite sample of any metric. */
    private static boolean reported(Observations observations, String id) {
        for (Series s : observations.ofInstance(id).values())
            for (int i = 0; i < s.size(); i++) if (Double.isFinite(s.value(i))) return true;
        return false;
    }

    /**
     * Why an instance restarted inside the window, or null. A {@code *start_time*} metric that changes
     * value is a restart; the one that comes with the switch to the new version is expected.
     */
    private static String restart(GuardInput input, Member m, long from, long warmup, List<String> startTimes) {
        long step = input.stepSeconds();
        // in name order, as the instance's series are kept: the first restart found is the one reported
        for (String metric : startTimes) {
            Series s = input.observations().series(m.id(), metric).between(from, input.now() + 1);
            long prevT = 0;
            double prev = Double.NaN;
            for (int i = 0; i < s.size(); i++) {
                double v = s.value(i);
                if (!Double.isFinite(v)) continue;
                long t = s.time(i);
                if (Double.isFinite(prev) && Math.abs(v - prev) > 0.5) {
                    boolean atSwitch = m.released() && t >= m.switchAt() - step && prevT <= m.switchAt() + warmup;
                    if (!atSwitch) return "restarted between " + prevT + " and " + t;
                }
                prev = v;
                prevT = t;
            }
        }
        return null;
    }

    /** Process start time series tell restarts; they are not judged as metrics. */
    public static boolean isStartTime(String metric) {
        return metric.toLowerCase(Locale.ROOT).contains("start_time");
    }

    /** Released instances in batch order, restarted ones left out. */
    public List<Member> released() { return released; }

    /** Reference instances, restarted ones left out. */
    public List<Member> reference() { return reference; }

    /** Released instances that serve user traffic (not in a pre-release batch). */
    public List<Member> serving() { return serving; }

    /** Instances left out of this round, with why. */
    public Map<String, String> ignored() { return ignored; }

    /** The batch whose joining this fleet is asked about ({@link #joinedBy}), 0 for the release as a whole. */
    public int joinedBatch() { return joinedBatch; }

    public long from() { return from; }

    public long step() { return step; }

    public long now() { return now; }

    public long firstSwitch() { return firstSwitch; }

    public long warmup() { return warmup; }

    public int buckets() { return bucket(now) + 1; }

    public int bucket(long t) { return (int) Math.floorDiv(t - from, step); }

    /** First bucket of the window after the switch that is compared with the baseline. */
    public int afterWindowStart() { return Math.max(afterFrom, bucket(now - afterWindow + 1)); }

    /** The layout the instance's series share, null until one was worked out. */
    Layout layout(String id) { return layouts.get(id); }

    void keepLayout(String id, Layout layout) { layouts.put(id, layout); }

    /** The last bucket of a released instance's before part. */
    int lastBefore(Member m) { return Math.min(bucket(m.switchAt() - 1), buckets() - 1); }

    /** Last bucket of the baseline every instance shares: the time before the first batch. */
    public int baselineEnd() { return bucket(firstSwitch - 1); }
}
