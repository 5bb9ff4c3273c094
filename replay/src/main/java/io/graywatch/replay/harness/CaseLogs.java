package io.graywatch.replay.harness;

import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.replay.corpus.LogEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A case's log events as group counts, revealed in time order: at moment t the guard sees
 * exactly the events stamped up to t (the bucket in progress counts only what has happened so
 * far) and only the groups those events created.
 */
final class CaseLogs {
    private record Key(long bucket, String instance, String group) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::bucket).thenComparing(Key::instance).thenComparing(Key::group);

    private final List<LogEvent> events;
    private final LogGrouping grouping;
    private final long bucketSeconds;
    private final Map<String, LogGroup> groups = new LinkedHashMap<>();
    /** Counts of buckets still open to events not yet revealed, and before them those that are final. */
    private final Map<Key, Long> counts = new TreeMap<>(ORDER);
    private final List<LogCount> settled = new ArrayList<>();
    private int next;
    private long shownUpTo = Long.MIN_VALUE;

    CaseLogs(List<LogEvent> events, LogGrouping grouping, long bucketSeconds) {
        this.events = new ArrayList<>(events);
        this.events.sort(Comparator.comparingLong(LogEvent::timestamp));
        this.grouping = grouping;
        this.bucketSeconds = bucketSeconds;
    }

    /** What a log source would have returned at moment t; moments must not go back. */
    LogData upTo(long t) {
        if (t < shownUpTo) throw new IllegalArgumentException("log time cannot go back from " + shownUpTo + " to " + t);
        shownUpTo = t;
        while (next < events.size() && events.get(next).timestamp() <= t) {
            LogEvent e = events.get(next++);
            LogGroup g = grouping.groupOf(e);
            groups.putIfAbsent(g.id(), g);
            counts.merge(new Key(Math.floorDiv(e.timestamp(), bucketSeconds) * bucketSeconds, e.instance(), g.id()), e.count(), Long::sum);
        }
        // later events are stamped after t: buckets that ended before t's are final and need not be rebuilt every round
        long open = Math.floorDiv(t, bucketSeconds) * bucketSeconds;
        for (var it = counts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Long> e = it.next();
            if (e.getKey().bucket() >= open) break;
            settled.add(new LogCount(e.getKey().bucket(), e.getKey().instance(), e.getKey().group(), e.getValue()));
            it.remove();
        }
        List<LogCount> list = new ArrayList<>(settled.size() + counts.size());
        list.addAll(settled);
        counts.forEach((k, n) -> list.add(new LogCount(k.bucket(), k.instance(), k.group(), n)));
        return new LogData(groups, list, bucketSeconds);
    }
}
