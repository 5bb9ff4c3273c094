package io.graywatch.core.metric;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Metric series by instance and metric name, as a metric source returned them. */
public final class Observations {
    private static final Observations EMPTY = new Observations(Map.of());

    private final Map<String, Map<String, Series>> byInstance;

    private Observations(Map<String, Map<String, Series>> byInstance) {
        this.byInstance = byInstance;
    }

    public static Observations empty() { return EMPTY; }

    public static Builder builder() { return new Builder(); }

    public Series series(String instance, String metric) {
        Map<String, Series> m = byInstance.get(instance);
        if (m == null) return Series.empty();
        Series s = m.get(metric);
        return s == null ? Series.empty() : s;
    }

    public Set<String> instances() { return byInstance.keySet(); }

    public Map<String, Series> ofInstance(String instance) {
        return byInstance.getOrDefault(instance, Map.of());
    }

    /** The same observations cut at moment t: a replay's guard must never see later samples. */
    public Observations upTo(long t) {
        Builder b = builder();
        byInstance.forEach((i, m) -> m.forEach((metric, s) -> b.put(i, metric, s.upTo(t))));
        return b.build();
    }

    public static final class Builder {
        private final Map<String, Map<String, Series>> map = new TreeMap<>();

        public Builder put(String instance, String metric, Series series) {
            map.computeIfAbsent(instance, k -> new TreeMap<>()).put(metric, series);
            return this;
        }

        public Observations build() {
            Map<String, Map<String, Series>> copy = new TreeMap<>();
            map.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
            return new Observations(Collections.unmodifiableMap(copy));
        }
    }
}
