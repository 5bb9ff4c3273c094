package io.graywatch.server.metrics;

import io.graywatch.core.source.MetricSource;
import io.graywatch.prometheus.PrometheusMetricSource;
import io.graywatch.prometheus.QueryTemplates;
import io.graywatch.server.app.AppService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where guards read metrics, chosen by {@code graywatch.metrics.source}: {@code builtin} (the
 * default, the built-in scraper, see {@code BuiltInScraperConfig}) or {@code prometheus}, any
 * Prometheus-compatible HTTP API at {@code graywatch.prometheus.url}. A wrong choice stops the
 * start, since a server that silently read no metrics would pass every release.
 */
@Configuration(proxyBeanMethods = false)
public class MetricSourceConfig {
    public static final String SOURCE = "graywatch.metrics.source";
    private static final List<String> SOURCES = List.of("builtin", "prometheus");

    MetricSourceConfig(@Value("${" + SOURCE + ":builtin}") String source) {
        if (!SOURCES.contains(source)) {
            throw new IllegalStateException(SOURCE + " must be one of " + SOURCES + ", got '" + source + "'");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = SOURCE, havingValue = "prometheus")
    static class Prometheus {

        /** The default templates, by the labels that carry the app and the instance; apps are checked against them. */
        @Bean
        QueryTemplates prometheusQueryTemplates(@Value("${graywatch.prometheus.app-label:app}") String appLabel,
                                                @Value("${graywatch.prometheus.instance-label:instance}") String instanceLabel) {
            try {
                return QueryTemplates.micrometer(appLabel, instanceLabel);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("graywatch.prometheus: " + e.getMessage(), e);
            }
        }

        @Bean
        @ConditionalOnMissingBean(MetricSource.class)
        PrometheusMetricSource prometheusMetricSource(QueryTemplates templates, @Lazy AppService apps,
                                                      @Value("${graywatch.prometheus.url:}") String url,
                                                      @Value("${graywatch.prometheus.timeout:10s}") Duration timeout,
                                                      @Value("${graywatch.prometheus.settle:15s}") Duration settle) {
            if (url.isBlank()) {
                throw new IllegalStateException(SOURCE + "=prometheus needs graywatch.prometheus.url, the base URL of a "
                        + "Prometheus-compatible API, e.g. --graywatch.prometheus.url=http://127.0.0.1:9090");
            }
            try {
                return PrometheusMetricSource.builder(URI.create(url.strip())).templates(templates).timeout(timeout)
                        .settle(settle).queries(apps::ownQuery).build();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("graywatch.prometheus: " + e.getMessage(), e);
            }
        }
    }
}
