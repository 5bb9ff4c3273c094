package io.graywatch.server.guard;

import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One log group as a release's guard read it: what it is, one full sample, and its counts over
 * time on the release group against the reference group. An instance counts in the release
 * group from the bucket in which it switched to the new version (as the guard counts it), in the
 * reference group before.
 *
 * @param sample      one full event: for an exception, its message line and the whole stack trace
 * @param firstBucket the start of the first bucket with events (Unix seconds), null when there is none
 * @param lastBucket  the start of the last bucket with events
 * @param counts      buckets with events, oldest first
 * @param releaseInstances the instances of the release group that logged it
 */
public record LogGroupTrend(String id, LogGroup.Kind kind, String level, String exceptionType, String rootCauseType, String template,
                            String sample, long bucketSeconds, long releaseCount, long referenceCount, Long firstBucket, Long lastBucket,
                            List<String> releaseInstances, List<Bucket> counts) {
    public LogGroupTrend {
        releaseInstances = List.copyOf(releaseInstances);
        counts = List.copyOf(counts);
    }

    /** Events of the group in the bucket that starts at {@code start} (Unix seconds). */
    public record Bucket(long start, long release, long reference) {
    }

    /**
     * @param switchedAt when each released instance switched to the new version (Unix seconds)
     * @return every group, those the release group logged first (most events first), then the others
     */
    public static List<LogGroupTrend> of(LogData data, Map<String, Long> switchedAt) {
        long step = data.bucketSeconds();
        Map<String, TreeMap<Long, long[]>> byGroup = new LinkedHashMap<>();
        Map<String, TreeSet<String>> released = new LinkedHashMap<>();
        for (LogCount c : data.counts()) {
            if (c.count() <= 0 || !data.groups().containsKey(c.groupId())) continue;
            Long at = switchedAt.get(c.instance());
            boolean release = at != null && c.bucketStart() + step > at;
            long[] b = byGroup.computeIfAbsent(c.groupId(), k -> new TreeMap<>()).computeIfAbsent(c.bucketStart(), k -> new long[2]);
            b[release ? 0 : 1] += c.count();
            if (release) released.computeIfAbsent(c.groupId(), k -> new TreeSet<>()).add(c.instance());
        }
        List<LogGroupTrend> out = new ArrayList<>();
        for (LogGroup g : data.groups().values()) {
            TreeMap<Long, long[]> buckets = byGroup.getOrDefault(g.id(), new TreeMap<>());
            long rel = 0, ref = 0;
            List<Bucket> counts = new ArrayList<>();
            for (Map.Entry<Long, long[]> e : buckets.entrySet()) {
                rel += e.getValue()[0];
                ref += e.getValue()[1];
                counts.add(new Bucket(e.getKey(), e.getValue()[0], e.getValue()[1]));
            }
            out.add(new LogGroupTrend(g.id(), g.kind(), g.level(), g.exceptionType(), g.rootCauseType(), g.template(), g.sample(), step, rel, ref,
                    buckets.isEmpty() ? null : buckets.firstKey(), buckets.isEmpty() ? null : buckets.lastKey(),
                    List.copyOf(released.getOrDefault(g.id(), new TreeSet<>())), counts));
        }
        out.sort(Comparator.comparingLong(LogGroupTrend::releaseCount).reversed()
                .thenComparing(Comparator.comparingLong(LogGroupTrend::referenceCount).reversed())
                .thenComparing(LogGroupTrend::id));
        return out;
    }

    /** The type a person recognises it by: the exception (and its root cause) or the template. */
    public String title() {
        if (kind == LogGroup.Kind.TEMPLATE) return (level == null ? "" : level + " ") + template;
        return rootCauseType == null || rootCauseType.equals(exceptionType) ? exceptionType : exceptionType + " (root cause " + rootCauseType + ")";
    }

    /** Whether the group names the type, fully qualified or simple, as the thrown type or the root cause. */
    public boolean involves(String type) {
        return new LogGroup(id, kind, level, exceptionType, rootCauseType, template, sample).involves(type);
    }
}
