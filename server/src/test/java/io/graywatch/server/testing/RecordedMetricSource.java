package io.graywatch.server.testing;

import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.source.MetricSource;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A metric source over observations a test built: it returns what lies in the asked window, as a real source would. */
public final class RecordedMetricSource implements MetricSource {
    private final Map<String, Observations> byApp = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    public void put(String app, Observations observations) {
        byApp.put(app, observations);
    }

    /** Makes every fetch of the app fail with this message, as a metric store that is down does; null heals it. */
    public void failing(String app, String message) {
        if (message == null) failures.remove(app);
        else failures.put(app, message);
    }

    @Override
    public Observations fetch(String app, Collection<String> instances, Collection<MetricSpec> metrics, long from, long to, long step) {
        String failure = failures.get(app);
        if (failure != null) throw new IllegalStateException(failure);
        Observations all = byApp.getOrDefault(app, Observations.empty());
        Observations.Builder b = Observations.builder();
        for (String instance : instances) {
            for (MetricSpec m : metrics) {
                var s = all.series(instance, m.name()).between(from, to + 1);
                if (!s.isEmpty()) b.put(instance, m.name(), s);
            }
        }
        return b.build();
    }
}
