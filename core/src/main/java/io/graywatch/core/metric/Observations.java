package io.graywatch.core.metric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Metric series by instance and metric name, as a metric source returned them. */
public final class Observations {
    private static final Observations EMPTY = new Observations(Map.of(), Collections.emptySortedSet(), Map.of());

    private final Map<String, SortedMap<String, Series>> byInstance;
    /** Every metric name any instance has, in order: a stage looking for some of them need not go through every instance's. */
    private final SortedSet<String> metrics;
    /**
     * The same series as byInstance, per instance in an array by metric ({@code columns} numbers them, null where
     * the instance has none): a round reads every instance's series of every metric, and a name's place in a
     * sorted map is found by comparing it with half a dozen others, each somewhere else in memory.
     */
    private final Map<String, Integer> columns;
    private final Map<String, Series[]> rows;

    private Observations(Map<String, SortedMap<String, Series>> byInstance, SortedSet<String> metrics, Map<String, Integer> columns) {
        this.byInstance = byInstance;
        this.metrics = metrics;
        this.columns = columns;
        this.rows = new HashMap<>();
        byInstance.forEach((i, m) -> {
            Series[] row = new Series[columns.size()];
            m.forEach((metric, s) -> row[columns.get(metric)] = s);
            rows.put(i, row);
        });
    }

    private static Map<String, Integer> columns(SortedSet<String> metrics) {
        Map<String, Integer> out = new HashMap<>();
        for (String m : metrics) out.put(m, out.size());
        return out;
    }

    public static Observations empty() { return EMPTY; }

    /** Each instance's series of the metric, in the instances' order; empty where one has none. */
    public Series[] column(String metric, List<String> instances) {
        Integer c = columns.get(metric);
        Series[] out = new Series[instances.size()];
        for (int i = 0; i < out.length; i++) {
            Series[] row = c == null ? null : rows.get(instances.get(i));
            out[i] = row == null || row[c] == null ? Series.empty() : row[c];
        }
        return out;
    }

    public static Builder builder() { return new Builder(); }

    public Series series(String instance, String metric) {
        Map<String, Series> m = byInstance.get(instance);
        if (m == null) return Series.empty();
        Series s = m.get(metric);
        return s == null ? Series.empty() : s;
    }

    public Set<String> instances() { return byInstance.keySet(); }

    /** The names of the metrics any instance has a series of, sorted. */
    public SortedSet<String> metrics() { return metrics; }

    public Map<String, Series> ofInstance(String instance) {
        Map<String, Series> m = byInstance.get(instance);
        return m == null ? Map.of() : m;
    }

    /**
     * The same observations cut at moment t: a replay's guard must never see later samples. The series
     * stay windows on the same arrays (nothing is copied, times shared by several series still are).
     */
    public Observations upTo(long t) {
        Map<String, SortedMap<String, Series>> cut = new TreeMap<>();
        byInstance.forEach((i, m) -> {
            // built from a sorted map, a TreeMap takes its entries as they come, without comparing keys
            TreeMap<String, Series> copy = new TreeMap<>(m);
            copy.replaceAll((metric, s) -> s.upTo(t));
            cut.put(i, Collections.unmodifiableSortedMap(copy));
        });
        return new Observations(Collections.unmodifiableMap(cut), metrics, columns);
    }

    public static final class Builder {
        /** Times arrays shared per instance are looked for among this many distinct ones: there are usually one or two. */
        private static final int SHARED_TIMES = 4;

        private final Map<String, Map<String, Series>> map = new TreeMap<>();

        public Builder put(String instance, String metric, Series series) {
            map.computeIfAbsent(instance, k -> new TreeMap<>()).put(metric, series);
            return this;
        }

        public Observations build() {
            Map<String, SortedMap<String, Series>> copy = new TreeMap<>();
            SortedSet<String> metrics = new TreeSet<>();
            map.forEach((k, v) -> {
                TreeMap<String, Series> own = new TreeMap<>(v);
                shareTimes(own);
                copy.put(k, Collections.unmodifiableSortedMap(own));
                metrics.addAll(v.keySet());
            });
            return new Observations(Collections.unmodifiableMap(copy), Collections.unmodifiableSortedSet(metrics), columns(metrics));
        }

        /** An instance's series scraped at the same moments share one array of times: see {@link Series#sharingTimes}. */
        private static void shareTimes(Map<String, Series> ofInstance) {
            List<Series> distinct = new ArrayList<>(SHARED_TIMES);
            ofInstance.replaceAll((metric, s) -> {
                for (Series d : distinct) {
                    Series shared = s.sharingTimes(d);
                    if (shared != s || s.sameTimes(d)) return shared;
                }
                if (distinct.size() < SHARED_TIMES) distinct.add(s);
                return s;
            });
        }
    }
}
