package io.graywatch.server;

import io.graywatch.server.testing.Http;
import io.graywatch.server.testing.OnH2;
import io.graywatch.server.testing.ServerTest;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What the server offers besides its API: health, Prometheus metrics, the OpenAPI document and Swagger UI. */
@OnH2
class ServerEndpointsTest extends ServerTest {

    @Test
    void reportsItsHealthWithTheDatabase() {
        Http.Response health = new Http(port).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void exposesPrometheusMetricsWithTheGuardsRounds() {
        String app = newApp(2);
        judge.script(app, in -> Verdict.WARN);
        releases.plan(plan(app, "2", 30, count(1), count(1)));
        tickFor(Duration.ofSeconds(11));

        Http.Response metrics = new Http(port).get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge", "hikaricp_connections",
                "graywatch_guard_rounds_total{app=\"" + app + "\",verdict=\"WARN\"} 2.0");
    }

    @Test
    void documentsTheApiWithOpenApiAndSwaggerUi() {
        Http http = new Http(port);
        Http.Response docs = http.get("/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").fieldNames()).toIterable().contains(
                "/api/v1/apps", "/api/v1/apps/{name}", "/api/v1/releases", "/api/v1/releases/{id}", "/api/v1/releases/{id}/rounds",
                "/api/v1/releases/{id}/pause", "/api/v1/releases/{id}/resume", "/api/v1/releases/{id}/rollback",
                "/api/v1/releases/{id}/close", "/api/v1/releases/{id}/logs", "/api/v1/agent/logs", "/api/v1/apps/{name}/agents");
        var ship = docs.json().get("paths").get("/api/v1/agent/logs").get("post");
        assertThat(ship.get("requestBody").get("content").get("application/json").get("schema").get("$ref").asText())
                .as("the shipment format is documented").endsWith("/Shipment");
        assertThat(ship.get("responses").fieldNames()).toIterable().contains("200", "400", "401", "403", "404");
        assertThat(docs.json().get("components").get("securitySchemes").get("agentToken").get("scheme").asText()).isEqualTo("bearer");
        Http.Response ui = http.get("/swagger-ui.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("Swagger UI");
    }

    @Test
    void answersAnUnknownPathWithAProblemNotAStackTrace() {
        Http.Response r = new Http(port).get("/api/v1/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception");
    }
}
