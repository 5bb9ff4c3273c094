package io.graywatch.replay.corpus;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One recorded or generated release, as a corpus case holds it (see the corpus FORMAT.md):
 * what was released, when, on which instances, with its metric samples and log events.
 *
 * @param instances every instance named in case.json with its version (batch members included)
 * @param batches   in time order, numbered from 1
 * @param guard     how the live guard judged a recorded release, or null (generated and foreign cases)
 */
public record ReleaseCase(String id, String app, long stepSeconds, Map<String, MetricSpec> metrics,
                          Map<String, String> instances, String fromVersion, String toVersion, long start,
                          List<Batch> batches, long end, long windowFrom, long windowTo,
                          Observations observations, List<LogEvent> logs, RecordedGuard guard) {
    public ReleaseCase {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        instances = Collections.unmodifiableMap(new LinkedHashMap<>(instances));
        batches = List.copyOf(batches);
        logs = List.copyOf(logs);
        if (batches.isEmpty()) throw new IllegalArgumentException("a release needs at least one batch");
    }

    /** A case without a recorded guard. */
    public ReleaseCase(String id, String app, long stepSeconds, Map<String, MetricSpec> metrics, Map<String, String> instances,
                       String fromVersion, String toVersion, long start, List<Batch> batches, long end, long windowFrom, long windowTo,
                       Observations observations, List<LogEvent> logs) {
        this(id, app, stepSeconds, metrics, instances, fromVersion, toVersion, start, batches, end, windowFrom, windowTo, observations, logs, null);
    }

    public long firstBatchAt() { return batches.get(0).at(); }

    public Set<String> instanceIds() { return new TreeSet<>(instances.keySet()); }

    /** The release as a guard sees it at moment t: only the batches that have started, and no end until it came. */
    public ReleaseView viewAt(long t) {
        return viewAt(t, batches.size());
    }

    /** The release at moment t as a round saw it that saw at most {@code maxBatches} batches. */
    public ReleaseView viewAt(long t, int maxBatches) {
        List<Batch> started = new ArrayList<>();
        for (Batch b : batches) if (b.at() <= t && started.size() < maxBatches) started.add(b);
        return new ReleaseView(app, fromVersion, toVersion, start, started, t >= end ? end : null);
    }
}
