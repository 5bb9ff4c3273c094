package io.graywatch.scraper;

import java.util.Map;
import java.util.OptionalLong;

/** One sample line of the Prometheus text format: {@code name{labels} value [timestamp]}. */
public record Sample(String name, Map<String, String> labels, double value, OptionalLong timestampMillis) {
    public Sample {
        labels = Map.copyOf(labels);
    }

    public String label(String key) {
        return labels.get(key);
    }
}
