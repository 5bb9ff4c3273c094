package io.graywatch.prometheus;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryTemplatesTest {

    @Test
    void fillsEveryPlaceholderOnceAndQuotesInstancesAsARegex() {
        String q = QueryTemplates.expand("sum by (instance) (rate(x{app=\"$app\",instance=~\"$instances\"}[$window]))",
                "shop", List.of("10.0.0.7:8080", "shop-1.zone(a)", "a+b|c"), 5);
        assertThat(q).isEqualTo("sum by (instance) (rate(x{app=\"shop\",instance=~\""
                + "10\\\\.0\\\\.0\\\\.7:8080|shop-1\\\\.zone\\\\(a\\\\)|a\\\\+b\\\\|c\"}[60s]))");
    }

    @Test
    void aValueThatLooksLikeAPlaceholderIsNotExpandedAgain() {
        assertThat(QueryTemplates.expand("x{a=\"$app\",i=~\"$instances\"}", "a", List.of("$window"), 30))
                .isEqualTo("x{a=\"a\",i=~\"\\\\$window\"}");
        assertThat(QueryTemplates.expand("$apps $app", "a", List.of(), 30)).as("only whole placeholder names").isEqualTo("$apps a");
    }

    @Test
    void escapesQuotesAndBackslashesForAPromQLString() {
        assertThat(QueryTemplates.expand("x{app=\"$app\"}", "we\"ird\\", List.of(), 1)).isEqualTo("x{app=\"we\\\"ird\\\\\"}");
    }

    @Test
    void rateWindowIsFourStepsButAtLeastAMinute() {
        assertThat(QueryTemplates.expand("$window", "a", List.of(), 5)).isEqualTo("60s");
        assertThat(QueryTemplates.expand("$window", "a", List.of(), 15)).isEqualTo("60s");
        assertThat(QueryTemplates.expand("$window", "a", List.of(), 60)).isEqualTo("240s");
    }

    @Test
    void defaultsFollowMicrometerAndTheConfiguredLabels() {
        QueryTemplates t = QueryTemplates.micrometer("service", "pod");
        assertThat(t.defaultFor("qps")).isEqualTo(
                "sum by (pod) (rate(http_server_requests_seconds_count{service=\"$app\",pod=~\"$instances\"}[$window]))");
        assertThat(t.defaultFor("error_rate")).contains("status=~\"5..\"", "100 * ", " or 0 * ");
        assertThat(t.defaultFor("latency_p99_ms")).contains("histogram_quantile(0.99, sum by (pod, le)", "_bucket");
        assertThat(t.defaultFor("cpu_percent")).contains("process_cpu_usage");
        assertThat(t.defaultFor("memory_mb")).contains("jvm_memory_used_bytes");
        assertThat(t.defaultFor("start_time")).contains("process_start_time_seconds");
        assertThat(t.defaultFor("orders_per_min")).isNull();
        assertThatThrownBy(() -> QueryTemplates.micrometer("app", "pod-name"))
                .hasMessage("instance label must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), got 'pod-name'");
    }

    @Test
    void saysWhatToAddWhenAMetricCannotBeRead() {
        QueryTemplates t = QueryTemplates.micrometer();
        assertThat(t.problem("qps", null)).isNull();
        assertThat(t.problem("orders", "sum by (instance) (orders_total{instance=~\"$instances\"})")).isNull();
        assertThat(t.problem("orders", null)).startsWith("metric 'orders' has no default Prometheus query: add a \"query\"");
        assertThat(t.problem("qps", "sum(rate(http_server_requests_seconds_count[1m]))"))
                .isEqualTo("the query of metric 'qps' does not use $instances, so it cannot tell instances apart: "
                        + "select them with instance=~\"$instances\" and keep the instance label in the result");
    }
}
