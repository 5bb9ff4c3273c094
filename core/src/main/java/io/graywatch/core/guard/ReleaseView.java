package io.graywatch.core.guard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The release as far as it has gone: the batches that have started, in order.
 *
 * @param end when the release ended, or null while it runs
 */
public record ReleaseView(String app, String fromVersion, String toVersion, long start, List<Batch> batches, Long end) {
    public ReleaseView {
        batches = List.copyOf(batches);
    }

    /** Instances on the new version at moment t. */
    public Set<String> releaseGroup(long t) {
        Set<String> out = new LinkedHashSet<>();
        for (Batch b : batches) if (b.at() <= t) out.addAll(b.instances());
        return out;
    }

    /** Instances on the new version that serve traffic at moment t. */
    public Set<String> servingReleaseGroup(long t) {
        Set<String> out = new LinkedHashSet<>();
        for (Batch b : batches) if (b.at() <= t && !b.preRelease()) out.addAll(b.instances());
        return out;
    }

    /** When an instance switched to the new version, or null if it has not (by moment t). */
    public Long switchedAt(String instance, long t) {
        for (Batch b : batches) if (b.at() <= t && b.instances().contains(instance)) return b.at();
        return null;
    }

    /** The batches that had started by moment t. */
    public List<Batch> startedBy(long t) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : batches) if (b.at() <= t) out.add(b);
        return out;
    }

    /** The latest batch that had started by moment t, or null before the first. */
    public Batch currentBatch(long t) {
        Batch cur = null;
        for (Batch b : batches) if (b.at() <= t) cur = b;
        return cur;
    }
}
