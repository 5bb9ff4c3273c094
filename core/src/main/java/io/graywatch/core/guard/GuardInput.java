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
 * @param instances    every instance of the app in the window, release and reference
 * @param servingSince when a released instance became ready and started serving the new version, where the
 *                     executor knows it (a readiness probe); missing instances are read from their samples
 */
public record GuardInput(ReleaseView release, long now, long stepSeconds, Map<String, MetricSpec> metrics,
                         Set<String> instances, Observations observations, LogData logs, GuardConfig config,
                         Map<String, Long> servingSince) {
    public GuardInput {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        instances = Collections.unmodifiableSet(new TreeSet<>(instances));
        servingSince = servingSince == null ? Map.of() : Map.copyOf(servingSince);
        if (stepSeconds <= 0) throw new IllegalArgumentException("stepSeconds must be positive");
    }

    /** Without readiness times: each released instance's serving start is read from its samples. */
    public GuardInput(ReleaseView release, long now, long stepSeconds, Map<String, MetricSpec> metrics,
                      Set<String> instances, Observations observations, LogData logs, GuardConfig config) {
        this(release, now, stepSeconds, metrics, instances, observations, logs, config, Map.of());
    }

    /** The same round judged with other settings. */
    public GuardInput withConfig(GuardConfig c) {
        return new GuardInput(release, now, stepSeconds, metrics, instances, observations, logs, c, servingSince);
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
