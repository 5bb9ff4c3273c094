package io.graywatch.core.logs;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Log groups and their counts over time, as a log source returned them. */
public record LogData(Map<String, LogGroup> groups, List<LogCount> counts, long bucketSeconds) {
    public LogData {
        groups = Collections.unmodifiableMap(new TreeMap<>(groups));
        counts = List.copyOf(counts);
        if (bucketSeconds <= 0) throw new IllegalArgumentException("bucketSeconds must be positive");
    }

    public static LogData empty(long bucketSeconds) {
        return new LogData(Map.of(), List.of(), bucketSeconds);
    }

    /**
     * Counts of buckets that had ended by moment t (their last second is t or earlier): a replay's guard must never
     * see later events, and a stored bucket that was still filling at t holds some of them.
     */
    public LogData upTo(long t) {
        return new LogData(groups, counts.stream().filter(c -> c.bucketStart() + bucketSeconds - 1 <= t).toList(), bucketSeconds);
    }
}
