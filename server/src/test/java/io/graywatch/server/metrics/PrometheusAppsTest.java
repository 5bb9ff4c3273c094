package io.graywatch.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.graywatch.prometheus.QueryTemplates;
import io.graywatch.server.testing.Http;
import io.graywatch.server.testing.ServerTest;
import io.graywatch.server.testing.TestFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Onboarding with {@code graywatch.metrics.source=prometheus}: every metric must have a query
 * (a default one, or its own) that tells instances apart, and the app shows the query of each.
 * Validation only: the guard's metrics here still come from the test's recorded source.
 */
@TestPropertySource(properties = {TestFixtures.DATABASE_PROPERTY + "=h2", MetricSourceConfig.SOURCE + "=prometheus",
        "graywatch.prometheus.url=http://127.0.0.1:9090", "graywatch.prometheus.instance-label=pod"})
class PrometheusAppsTest extends ServerTest {
    private static final QueryTemplates DEFAULTS = QueryTemplates.micrometer("app", "pod");

    private Http.Response post(String json) {
        return new Http(port).post("/api/v1/apps", json);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void showsTheQueryEachMetricIsReadWith() {
        String name = "shop-" + System.nanoTime();
        String own = "1000 * max by (pod) (my_p99_seconds{app=\"$app\",pod=~\"$instances\"})";
        Http.Response created = post("""
                {"name": "%s", "metrics": [{"name": "qps", "bad": "decrease"}, {"name": "latency_p99_ms", "bad": "increase", "query": %s}]}"""
                .formatted(name, quoted(own)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode queries = created.json().get("queries");
        assertThat(queries.get("qps").asText()).as("the default, with the configured instance label").isEqualTo(DEFAULTS.defaultFor("qps"))
                .contains("pod=~\"$instances\"");
        assertThat(queries.get("latency_p99_ms").asText()).as("its own").isEqualTo(own);
        assertThat(new Http(port).get("/api/v1/apps/" + name).json()).isEqualTo(created.json());

        JsonNode defaults = post("{\"name\": \"d-" + System.nanoTime() + "\"}").json().get("queries");
        assertThat(defaults.properties()).extracting(e -> e.getKey())
                .containsExactly("qps", "error_rate", "latency_avg_ms", "latency_p99_ms", "cpu_percent", "memory_mb");
        assertThat(apps.ownQuery(name, "qps")).as("only the metrics' own queries are stored").isNull();
    }

    @Test
    void refusesAMetricItCouldNotRead() {
        Http.Response noQuery = post("{\"name\": \"x-" + System.nanoTime() + "\", \"metrics\": [{\"name\": \"qps\"}, {\"name\": \"orders_per_min\"}]}");
        assertThat(noQuery.status()).isEqualTo(400);
        assertThat(noQuery.json().get("detail").asText()).isEqualTo("metrics[1]: metric 'orders_per_min' has no default Prometheus query: "
                + "add a \"query\" with PromQL that uses $instances and keeps the pod label, e.g. "
                + "sum by (pod) (rate(my_counter_total{app=\"$app\",pod=~\"$instances\"}[$window]))");

        Http.Response allInstances = post("{\"name\": \"y-" + System.nanoTime() + "\", \"metrics\": [{\"name\": \"orders_per_min\", \"query\": "
                + quoted("60 * sum(rate(orders_total{app=\"$app\"}[$window]))") + "}]}");
        assertThat(allInstances.status()).isEqualTo(400);
        assertThat(allInstances.json().get("detail").asText()).isEqualTo("metrics[0]: the query of metric 'orders_per_min' does not use "
                + "$instances, so it cannot tell instances apart: select them with pod=~\"$instances\" and keep the pod label in the result");
        assertThat(db.sql("SELECT COUNT(*) FROM app WHERE name LIKE 'x-%' OR name LIKE 'y-%'").query(Long.class).single()).isZero();
    }
}
