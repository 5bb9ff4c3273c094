package io.graywatch.server.metrics;

import io.graywatch.core.source.MetricSource;
import io.graywatch.prometheus.PrometheusMetricSource;
import io.graywatch.prometheus.QueryTemplates;
import io.graywatch.server.app.AppService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** Choosing the metric source: a Prometheus one is built from its properties, and a setting it cannot work with stops the start. */
class MetricSourceConfigTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            // durations in properties, as a Spring Boot application reads them
            .withInitializer(context -> context.getBeanFactory().setConversionService(ApplicationConversionService.getSharedInstance()))
            .withUserConfiguration(MetricSourceConfig.class)
            .withBean(AppService.class, () -> mock(AppService.class));

    @Test
    void prometheusIsTheMetricSourceWhenChosen() {
        runner.withPropertyValues("graywatch.metrics.source=prometheus", "graywatch.prometheus.url=http://prom.example:9090/prefix",
                "graywatch.prometheus.instance-label=pod", "graywatch.prometheus.timeout=3s", "graywatch.prometheus.settle=1m").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MetricSource.class)).isInstanceOf(PrometheusMetricSource.class);
            assertThat(context.getBean(MetricSource.class).settledAt(1000)).as("rounds judged a minute behind a slow remote write").isEqualTo(940);
            assertThat(context.getBean(PrometheusMetricSource.class).base()).isEqualTo(URI.create("http://prom.example:9090/prefix/"));
            assertThat(context.getBean(QueryTemplates.class).instanceLabel()).isEqualTo("pod");
        });
    }

    @Test
    void prometheusAnswersSettleFifteenSecondsAfterTheMomentByDefault() {
        runner.withPropertyValues("graywatch.metrics.source=prometheus", "graywatch.prometheus.url=http://p:9090")
                .run(context -> assertThat(context.getBean(MetricSource.class).settledAt(1000)).isEqualTo(985));
        runner.withPropertyValues("graywatch.metrics.source=prometheus", "graywatch.prometheus.url=http://p:9090", "graywatch.prometheus.settle=-5s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("graywatch.prometheus: Prometheus settle time must be 0 s or more, got PT-5S"));
    }

    @Test
    void theBuiltInScraperNeedsNoPrometheus() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(QueryTemplates.class).doesNotHaveBean(PrometheusMetricSource.class);
        });
    }

    @Test
    void prometheusWithoutAUrlStopsTheStartSayingWhatToSet() {
        runner.withPropertyValues("graywatch.metrics.source=prometheus").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessage("graywatch.metrics.source=prometheus needs graywatch.prometheus.url, the base URL of a "
                        + "Prometheus-compatible API, e.g. --graywatch.prometheus.url=http://127.0.0.1:9090"));
    }

    @Test
    void anUnknownSourceOrLabelStopsTheStart() {
        runner.withPropertyValues("graywatch.metrics.source=thanos").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessage("graywatch.metrics.source must be one of [builtin, prometheus], got 'thanos'"));
        runner.withPropertyValues("graywatch.metrics.source=prometheus", "graywatch.prometheus.url=http://p:9090",
                "graywatch.prometheus.instance-label=pod-name").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("graywatch.prometheus: instance label must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), got 'pod-name'"));
    }
}
