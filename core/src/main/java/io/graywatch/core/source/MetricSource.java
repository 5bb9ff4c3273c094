package io.graywatch.core.source;

import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;

import java.util.Collection;

/** Where a guard reads metrics: the built-in scraper, or any Prometheus-compatible HTTP API. */
public interface MetricSource {
    /** Samples of each metric on each instance with {@code from <= t <= to}, at about {@code stepSeconds} apart. */
    Observations fetch(String app, Collection<String> instances, Collection<MetricSpec> metrics, long from, long to, long stepSeconds);
}
