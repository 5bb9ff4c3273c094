package io.graywatch.core.guard;

import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one round of a guard may look at. Live guarding and replay build the same object;
 * {@code now} is the (possibly simulated) moment of the round and no data after it is present.
 *
 * @param instances every instance of the app in the window, release and reference
 */
public record GuardInput(ReleaseView release, long now, long stepSeconds, Map<String, MetricSpec> metrics,
                         Set<String> instances, Observations observations, LogData logs, GuardConfig config) {
    public GuardInput {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        instances = Collections.unmodifiableSet(new TreeSet<>(instances));
        if (stepSeconds <= 0) throw new IllegalArgumentException("stepSeconds must be positive");
    }

    /** Instances on the old version at this round: the reference group. */
    public Set<String> referenceGroup() {
        Set<String> out = new TreeSet<>(instances);
        out.removeAll(release.releaseGroup(now));
        return out;
    }

    public Set<String> releaseGroup() {
        return release.releaseGroup(now);
    }
}
