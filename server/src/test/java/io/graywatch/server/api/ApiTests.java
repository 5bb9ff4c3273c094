package io.graywatch.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.release.Release;
import io.graywatch.server.release.ReleasePlanRequest;
import io.graywatch.server.release.ReleaseState;
import io.graywatch.server.testing.Http;
import io.graywatch.server.testing.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API over real HTTP: happy paths, and every kind of bad request answered with a problem that says what to fix and changes nothing. */
abstract class ApiTests extends ServerTest {
    private Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** Everything a request could change. */
    private record Snapshot(long apps, long releases, long batches, long actions, long rounds, String releaseStates, int deploys) {
    }

    private Snapshot snapshot(String app) {
        return new Snapshot(count("app"), count("release_plan"), count("release_batch"), count("release_action"), count("guard_round"),
                db.sql("SELECT STRING_AGG(id || ':' || state || ':' || COALESCE(reason, ''), ',' ORDER BY id) FROM release_plan")
                        .query(String.class).optional().orElse(""),
                app == null ? 0 : fleet.deploys(app).size());
    }

    private long count(String table) {
        return db.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    /** Sends a request that must be refused, and checks the problem it gets back and that nothing changed. */
    private JsonNode refused(String app, Supplier<Http.Response> request, int status, String detail) {
        Snapshot before = snapshot(app);
        Http.Response r = request.get();
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode problem = r.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isEqualTo(detail);
        assertThat(problem.has("trace")).isFalse();
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
        assertThat(snapshot(app)).as("a refused request changes nothing").isEqualTo(before);
        return problem;
    }

    // ---- apps

    @Test
    void onboardsAnAppWithTheDefaultMetricsAndReadsItBack() {
        String name = "shop-" + System.nanoTime();
        Http.Response created = http.post("/api/v1/apps", """
                {"name": "%s", "guard": {"analysisIntervalSeconds": 5, "stepSeconds": 5}}""".formatted(name));

        assertThat(created.status()).isEqualTo(201);
        JsonNode app = created.json();
        assertThat(app.get("name").asText()).isEqualTo(name);
        assertThat(app.get("metrics")).extracting(m -> m.get("name").asText())
                .containsExactly("qps", "error_rate", "latency_avg_ms", "latency_p99_ms", "cpu_percent", "memory_mb");
        assertThat(app.get("metrics").get(0).get("bad").asText()).isEqualTo("DECREASE");
        assertThat(app.get("metrics").get(1).get("role").asText()).isEqualTo("ERROR_RATE");
        assertThat(app.get("guard").get("analysisIntervalSeconds").asInt()).isEqualTo(5);
        assertThat(app.get("guard").get("voteK").asInt()).isEqualTo(2);
        assertThat(app.get("guard").get("dangerousExceptions")).extracting(JsonNode::asText).contains("ClassNotFoundException");
        assertThat(app.get("queries").isEmpty()).as("the built-in scraper needs no queries").isTrue();

        assertThat(http.get("/api/v1/apps/" + name).json()).isEqualTo(app);
        assertThat(http.get("/api/v1/apps").json()).extracting(a -> a.get("name").asText()).contains(name);
    }

    @Test
    void anAppStoredBeforeGatesWereMarkedAsSetKeepsTheOnesItSet() {
        // a row written before minAbsoluteEffectGiven existed: 25 ms was set, 0.5 points is error_rate's default
        String name = newApp(2);
        db.sql("UPDATE app SET metrics = ? WHERE name = ?").params("""
                [{"name": "checkout_ms", "kind": "BUSINESS", "bad": "INCREASE", "unit": "ms", "role": "LATENCY", "minRelativeEffect": 0.2, "minAbsoluteEffect": 25.0},
                 {"name": "error_rate", "kind": "MIDDLEWARE", "bad": "INCREASE", "unit": "ratio", "role": "ERROR_RATE", "minRelativeEffect": 0.5, "minAbsoluteEffect": 0.5}]""",
                name).update();
        JsonNode metrics = http.get("/api/v1/apps/" + name).json().get("metrics");
        assertThat(metrics.get(0).get("minAbsoluteEffectGiven").asBoolean()).isTrue();
        assertThat(metrics.get(0).get("minAbsoluteEffect").asDouble()).isEqualTo(25);
        assertThat(metrics.get(1).get("minAbsoluteEffectGiven").asBoolean()).as("half a point, scaled to the ratio as before").isFalse();
    }

    @Test
    void anAppSetsItsOwnSuccessRateFloorAndOneStoredBeforeItCouldKeepsTheDefault() {
        String name = "pay-" + System.nanoTime();
        JsonNode guard = http.post("/api/v1/apps", """
                {"name": "%s", "guard": {"successRateFloorPercent": 99.5}}""".formatted(name)).json().get("guard");
        assertThat(guard.get("successRateFloorPercent").asDouble()).isEqualTo(99.5);
        assertThat(http.get("/api/v1/apps/" + name).json().get("guard")).isEqualTo(guard);
        assertThat(apps.get(name).guard().toConfig().successRateFloor()).as("what its releases' guards judge by").isEqualTo(99.5);

        String old = newApp(1);
        db.sql("UPDATE app SET guard_settings = ? WHERE name = ?").params("""
                {"analysisIntervalSeconds": 5, "stepSeconds": 5, "warmupSeconds": 10, "historySeconds": 600, "voteK": 2, "voteN": 3,
                 "dangerousExceptions": ["ClassNotFoundException"]}""", old).update();
        assertThat(http.get("/api/v1/apps/" + old).json().get("guard").get("successRateFloorPercent").asDouble())
                .isEqualTo(GuardConfig.defaults().successRateFloor());
    }

    @Test
    void onboardsAnAppWithItsOwnMetrics() {
        String name = "pay-" + System.nanoTime();
        JsonNode app = http.post("/api/v1/apps", """
                {"name": "%s", "metrics": [
                  {"name": "orders_per_min", "kind": "business", "bad": "decrease", "minRelativeEffect": 0.05},
                  {"name": "gc_pause_ms", "kind": "BASIC", "bad": "increase", "unit": "ms", "role": "resource"},
                  {"name": "cpu_percent", "kind": "basic", "bad": "increase", "unit": "percent", "minAbsoluteEffect": 0}],
                 "executor": "test-fleet"}""".formatted(name)).json();
        assertThat(app.get("metrics").get(0).get("kind").asText()).isEqualTo("BUSINESS");
        assertThat(app.get("metrics").get(0).get("minRelativeEffect").asDouble()).isEqualTo(0.05);
        assertThat(app.get("metrics").get(1).get("role").asText()).isEqualTo("RESOURCE");
        assertThat(app.get("executor").asText()).isEqualTo("test-fleet");
        // no absolute gate on CPU, as set, though 0 is also what the role's default is before it becomes two points
        JsonNode stored = http.get("/api/v1/apps/" + name).json().get("metrics").get(2);
        assertThat(stored.get("minAbsoluteEffect").asDouble()).isZero();
        assertThat(stored.get("minAbsoluteEffectGiven").asBoolean()).isTrue();
        assertThat(stored.has("utilisation")).as("what the guard works out from the spec is not part of it").isFalse();
        assertThat(app.get("metrics").get(1).get("minAbsoluteEffectGiven").asBoolean()).isFalse();
    }

    @Test
    void keepsAMetricsOwnPrometheusQueryWithTheApp() {
        String name = "orders-" + System.nanoTime();
        String query = "sum by (instance) (rate(orders_total{app=\"$app\",instance=~\"$instances\"}[$window]))";
        JsonNode app = http.post("/api/v1/apps", """
                {"name": "%s", "metrics": [{"name": "orders", "kind": "business", "bad": "decrease", "query": "%s"}, {"name": "qps"}]}"""
                .formatted(name, query.replace("\"", "\\\""))).json();
        assertThat(app.get("queries").properties()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("orders");
            assertThat(e.getValue().asText()).isEqualTo(query);
        });
        assertThat(http.get("/api/v1/apps/" + name).json()).as("kept in the database with the app").isEqualTo(app);
        assertThat(apps.ownQuery(name, "orders")).isEqualTo(query);
        assertThat(apps.ownQuery(name, "qps")).isNull();
    }

    @Test
    void refusesBadAppsWithAMessageSayingWhatToFix() {
        String taken = newApp(1);
        String post = "/api/v1/apps";
        refused(null, () -> http.post(post, "{\"name\": \"x\","), 400,
                "malformed JSON at line 1, column 14: Unexpected end-of-input within/between Object entries");
        refused(null, () -> http.post(post, "{}"), 400, "name: is required: the app's name, e.g. \"shop\"");
        refused(null, () -> http.post(post, "{\"name\": \"bad name!\"}"), 400,
                "name: must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        refused(null, () -> http.post(post, "{\"nmae\": \"x\"}"), 400,
                "unknown field 'nmae': known fields here are [executor, guard, metrics, name]");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"metrics\": [{\"name\": \"m\", \"kind\": \"weird\"}]}"), 400,
                "metrics[0].kind: unknown metric kind 'weird': use basic, middleware, business or log");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"metrics\": [{\"name\": \"m\"}, {\"name\": \"m\"}]}"), 400,
                "metrics[1].name: metric 'm' is listed twice");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"metrics\": [{\"name\": \"m\", \"query\": \"sum(m_total)\"}]}"), 400,
                "metrics[0]: the query of metric 'm' does not use $instances, so it cannot tell instances apart: "
                        + "select them with instance=~\"$instances\" and keep the instance label in the result");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"metrics\": []}"), 400,
                "metrics: must list 1 to 200 metrics, or be left out for the default set");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"guard\": {\"voteK\": 3, \"voteN\": 2}}"), 400,
                "guard: need 1 <= voteK <= voteN, got 3 of 2");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"guard\": {\"analysisIntervalSeconds\": \"soon\"}}"), 400,
                "guard.analysisIntervalSeconds: 'soon' is not a whole number");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"guard\": {\"analysisIntervalSeconds\": 0, \"stepSeconds\": 0}}"), 400,
                "guard.analysisIntervalSeconds: must be at least 1 second; guard.stepSeconds: must be at least 1 second");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"guard\": {\"successRateFloorPercent\": 100}}"), 400,
                "guard.successRateFloorPercent: must be above 0 and below 100 (percent)");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"executor\": \"k8s\"}"), 400,
                "executor: unknown release executor 'k8s'; available: [test-fleet]");
        refused(null, () -> http.post(post, "[]"), 400, "the request body must be a JSON object");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"metrics\": \"qps\"}"), 400, "metrics: must be a JSON array");
        refused(null, () -> http.post(post, "{\"name\": \"a1\", \"guard\": [5]}"), 400, "guard: must be a JSON object");
        refused(null, () -> http.post(post, "{\"name\": [\"a1\"]}"), 400, "name: must be a string");
        refused(null, () -> http.post(post, null), 400, "the request body is missing: send a JSON object");
        refused(null, () -> http.post(post, "{\"name\": \"" + taken + "\"}"), 409, "app '" + taken + "' already exists: choose another name");
        refused(null, () -> http.get("/api/v1/apps/nope"), 404, "app 'nope' not found: create it with POST /api/v1/apps");

        Http.Response text = http.post(post, "name=x", "text/plain");
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.contentType()).startsWith("application/problem+json");
    }

    // ---- releases

    @Test
    void plansAReleaseFollowsItAndReadsItsRoundsActionsAndSamples() {
        String app = newApp(4);
        metrics.put(app, errorRates(app, 4));
        Http.Response created = http.post("/api/v1/releases", """
                {"app": "%s", "version": "2", "observationSeconds": 10,
                 "batches": [{"preRelease": true, "count": 1}, {"instances": ["%s-4"]}, {"share": 100}]}""".formatted(app, app));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode r = created.json();
        long id = r.get("id").asLong();
        assertThat(r.fieldNames()).toIterable().containsExactly("id", "app", "fromVersion", "version", "state", "verdict", "reason",
                "executor", "observationSeconds", "autoContinue", "currentBatch", "createdAt", "startedAt", "endedAt", "batches");
        assertThat(r.get("batches").get(0).fieldNames()).toIterable().containsExactly("index", "instances", "preRelease", "state",
                "verdict", "startedAt", "observingSince", "observeUntil", "endedAt");
        assertThat(created.body()).contains("\"verdict\":null");
        assertThat(r.get("app").asText()).isEqualTo(app);
        assertThat(r.get("fromVersion").asText()).isEqualTo("1");
        assertThat(r.get("version").asText()).isEqualTo("2");
        assertThat(r.get("state").asText()).isEqualTo("RUNNING");
        assertThat(r.get("reason").asText()).isEqualTo("planned");
        assertThat(r.get("createdAt").asText()).isEqualTo(clock.instant().toString());
        assertThat(r.get("batches")).hasSize(3);
        JsonNode b0 = r.get("batches").get(0);
        assertThat(b0.get("index").asInt()).isZero();
        assertThat(b0.get("instances")).extracting(JsonNode::asText).containsExactly(app + "-1");
        assertThat(b0.get("preRelease").asBoolean()).isTrue();
        assertThat(b0.get("state").asText()).isEqualTo("PENDING");
        assertThat(b0.get("startedAt").isNull()).isTrue();
        assertThat(r.get("batches").get(1).get("instances")).extracting(JsonNode::asText).containsExactly(app + "-4");
        assertThat(r.get("batches").get(2).get("instances")).extracting(JsonNode::asText).containsExactly(app + "-2", app + "-3");

        runUntilStopped(id);

        JsonNode done = http.get("/api/v1/releases/" + id).json();
        assertThat(done.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("verdict").asText()).isEqualTo("PASS");
        assertThat(done.get("batches")).allSatisfy(b -> {
            assertThat(b.get("state").asText()).isEqualTo("PASSED");
            assertThat(b.get("verdict").asText()).isEqualTo("PASS");
            assertThat(b.get("startedAt").isTextual()).isTrue();
        });
        assertThat(http.get("/api/v1/releases?app=" + app).json()).extracting(x -> x.get("id").asLong()).containsExactly(id);
        assertThat(http.get("/api/v1/releases?state=COMPLETED&limit=1000").json()).extracting(x -> x.get("id").asLong()).contains(id);
        assertThat(http.get("/api/v1/releases?app=" + app + "&state=PAUSED").json()).isEmpty();

        JsonNode rounds = http.get("/api/v1/releases/" + id + "/rounds").json();
        assertThat(rounds).hasSize(6);
        assertThat(rounds.get(0).get("batch").asInt()).isZero();
        assertThat(rounds.get(0).get("verdict").asText()).isEqualTo("PASS");
        assertThat(rounds.get(0).get("reason").asText()).isEqualTo("no metric moved in the bad direction");
        assertThat(rounds.get(0).get("at").asText()).endsWith("Z");
        assertThat(rounds.get(0).get("findings")).isEmpty();
        assertThat(rounds.get(0).fieldNames()).toIterable().containsExactly("id", "releaseId", "batch", "at", "verdict", "reason",
                "algorithm", "algorithmVersion", "findings");

        JsonNode actions = http.get("/api/v1/releases/" + id + "/actions").json();
        assertThat(actions).extracting(a -> a.get("kind").asText() + " " + a.get("state").asText())
                .containsExactly("DEPLOY DONE", "DEPLOY DONE", "DEPLOY DONE");

        JsonNode samples = http.get("/api/v1/releases/" + id + "/samples?metric=error_rate").json();
        assertThat(samples).hasSize(4);
        assertThat(samples.get(0).get("instance").asText()).isEqualTo(app + "-1");
        assertThat(samples.get(0).get("metric").asText()).isEqualTo("error_rate");
        assertThat(samples.get(0).get("times").size()).isEqualTo(samples.get(0).get("values").size()).isGreaterThan(100);
    }

    /** An error rate of 0.5% on every instance, every 5 s, from an hour before now to an hour after. */
    private Observations errorRates(String app, int instances) {
        long now = clock.instant().getEpochSecond();
        List<Long> times = new ArrayList<>();
        for (long t = now - 3600; t <= now + 3600; t += 5) times.add(t);
        long[] t = times.stream().mapToLong(Long::longValue).toArray();
        double[] v = new double[t.length];
        Arrays.fill(v, 0.5);
        Observations.Builder b = Observations.builder();
        for (int i = 1; i <= instances; i++) b.put(app + "-" + i, "error_rate", Series.of(t, v));
        return b.build();
    }

    @Test
    void movesAReleaseWithItsCommands() {
        String app = newApp(3);
        judge.failFromBatch(app, 0);
        long id = releases.plan(plan(app, "2", 30, count(1), count(2))).id();
        tickUntil(id, r -> r.state() == ReleaseState.PAUSED, Duration.ofMinutes(1));

        JsonNode paused = http.get("/api/v1/releases/" + id).json();
        assertThat(paused.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(paused.get("reason").asText()).startsWith("intercepted in batch 1 of 2: ");
        JsonNode finding = http.get("/api/v1/releases/" + id + "/rounds").json().get(0).get("findings").get(0);
        assertThat(finding.fieldNames()).toIterable().containsExactly("key", "source", "severity", "subject", "stage", "reason",
                "evidence", "instances");
        assertThat(finding.get("severity").asText()).isEqualTo("FAIL");
        assertThat(finding.get("evidence").get("pValue").asDouble()).isEqualTo(0.001);
        assertThat(finding.get("evidence").get("did").asText()).as("a number not computed").isEqualTo("NaN");
        assertThat(finding.get("instances")).extracting(JsonNode::asText).containsExactly(app + "-1");

        judge.script(app, in -> Verdict.PASS);
        Http.Response resumed = http.post("/api/v1/releases/" + id + "/resume", "{\"reason\": \"looked fine\"}");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().get("state").asText()).isEqualTo("RUNNING");
        assertThat(resumed.json().get("reason").asText()).isEqualTo("resumed: observing batch 1 of 2 again: looked fine");

        assertThat(http.post("/api/v1/releases/" + id + "/pause", null).json().get("state").asText()).isEqualTo("PAUSED");
        JsonNode rolledBack = http.post("/api/v1/releases/" + id + "/rollback", null).json();
        assertThat(rolledBack.get("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(fleet.versions(app).values()).containsOnly("1");

        String other = newApp(2);
        long pending = releases.plan(new ReleasePlanRequest(other, "2", List.of(count(1)), 30, null, false)).id();
        assertThat(http.post("/api/v1/releases/" + pending + "/start", "{}").json().get("state").asText()).isEqualTo("RUNNING");
        assertThat(http.post("/api/v1/releases/" + pending + "/close", "{\"reason\": \"wrong version\"}").json().get("reason").asText())
                .isEqualTo("closed: wrong version");
    }

    @Test
    void refusesBadPlansWithAMessageSayingWhatToFix() {
        String app = newApp(4);
        String post = "/api/v1/releases";
        refused(app, () -> http.post(post, "{\"app\": \"nope\", \"version\": \"2\", \"batches\": [{\"count\": 1}]}"), 404,
                "app 'nope' not found: create it with POST /api/v1/apps");
        refused(app, () -> http.post(post, plan(app, "[{\"share\": 50}, {\"count\": 3}]")), 400,
                "batches: their sizes [2, 3] add up to 5 instances but the app has 4; counts and named instances add up, and a share is the part of the fleet on the new version after its batch");
        refused(app, () -> http.post(post, plan(app, "[{\"count\": 2}, {\"share\": 50}]")), 400,
                "batches[1].share: 50% of the 4 instances is 2, which the earlier batches already reach (2); a share is the part of the fleet on the new version after the batch: give a larger share or a count");
        refused(app, () -> http.post(post, plan(app, "[{\"instances\": [\"" + app + "-9\"]}]")), 400,
                "batches[0].instances: unknown instance '" + app + "-9'; the app's instances are [" + app + "-1, " + app + "-2, " + app + "-3, " + app + "-4]");
        refused(app, () -> http.post(post, plan(app, "[{\"instances\": [\"" + app + "-1\"]}, {\"instances\": [\"" + app + "-1\"]}]")), 400,
                "batches[1].instances: instance '" + app + "-1' is already in batches[0]");
        refused(app, () -> http.post(post, plan(app, "[{\"count\": 1, \"share\": 25}]")), 400,
                "batches[0]: give exactly one of count, share or instances");
        refused(app, () -> http.post(post, plan(app, "[{}]")), 400, "batches[0]: give exactly one of count, share or instances");
        refused(app, () -> http.post(post, plan(app, "[{\"count\": 1}, {\"count\": 1, \"preRelease\": true}]")), 400,
                "batches[1].preRelease: only the first batch may be a pre-release batch");
        refused(app, () -> http.post(post, plan(app, "[{\"share\": 150}]")), 400, "batches[0].share: must be a percentage of at most 100");
        refused(app, () -> http.post(post, plan(app, "[{\"count\": \"two\"}]")), 400, "batches[0].count: 'two' is not a whole number");
        refused(app, () -> http.post(post, plan(app, "[]")), 400, "batches: must list 1 to 100 batches");
        refused(app, () -> http.post(post, "{\"app\": \"" + app + "\", \"batches\": [{\"count\": 1}]}"), 400,
                "version: is required: the version to release, e.g. \"2.4.1\"");
        refused(app, () -> http.post(post, "{\"app\": \"" + app + "\", \"version\": \"2\"}"), 400,
                "batches: is required: a list of batches, e.g. [{\"count\": 1}, {\"share\": 50}]");
        refused(app, () -> http.post(post, "{\"app\": \"" + app + "\", \"version\": \"2\", \"observationSeconds\": 0, \"batches\": [{\"count\": 1}]}"),
                400, "observationSeconds: must be at least 1 second");
        refused(app, () -> http.post(post, "{\"app\": \"" + app + "\", \"version\": \"1\", \"batches\": [{\"count\": 1}]}"), 409,
                "app '" + app + "' already runs version 1 on most of its instances: plan a different version");

        long first = releases.plan(plan(app, "2", 30, count(1))).id();
        refused(app, () -> http.post(post, plan(app, "[{\"count\": 1}]").replace("\"2\"", "\"3\"")), 409,
                "app '" + app + "' already has release " + first + " in state RUNNING: roll it back or close it before planning another");
    }

    private static String plan(String app, String batches) {
        return "{\"app\": \"" + app + "\", \"version\": \"2\", \"batches\": " + batches + "}";
    }

    @Test
    void refusesBadReadsAndInvalidTransitions() {
        String app = newApp(2);
        Release r = releases.plan(plan(app, "2", 30, count(1), count(1)));
        long id = r.id();
        tickFor(Duration.ofSeconds(3));

        refused(app, () -> http.get("/api/v1/releases/abc"), 400, "id: 'abc' is not a whole number");
        refused(app, () -> http.get("/api/v1/releases/987654321"), 404, "release 987654321 not found");
        refused(app, () -> http.get("/api/v1/releases/987654321/rounds"), 404, "release 987654321 not found");
        refused(app, () -> http.get("/api/v1/releases?state=DONE"), 400,
                "state: 'DONE' is not one of PENDING, RUNNING, PAUSED, COMPLETED, ROLLED_BACK, CLOSED");
        refused(app, () -> http.get("/api/v1/releases?limit=0"), 400, "limit: must be between 1 and 1000");
        refused(app, () -> http.get("/api/v1/releases?app=nope"), 404, "app 'nope' not found: create it with POST /api/v1/apps");

        refused(app, () -> http.post("/api/v1/releases/" + id + "/resume", null), 409,
                "release " + id + " is RUNNING: only a PAUSED release can be resumed");
        refused(app, () -> http.post("/api/v1/releases/" + id + "/start", null), 409,
                "release " + id + " is RUNNING: only a PENDING release can be started");
        refused(app, () -> http.post("/api/v1/releases/" + id + "/pause", "{\"why\": \"x\"}"), 400,
                "unknown field 'why': known fields here are [reason]");
        refused(app, () -> http.post("/api/v1/releases/987654321/close", null), 404, "release 987654321 not found");

        releases.pause(id, null);
        refused(app, () -> http.post("/api/v1/releases/" + id + "/pause", null), 409,
                "release " + id + " is PAUSED: only a RUNNING release can be paused");
        releases.close(id, null);
        refused(app, () -> http.post("/api/v1/releases/" + id + "/rollback", null), 409,
                "release " + id + " is CLOSED: only a RUNNING or PAUSED or COMPLETED release can be rolled back");
        refused(app, () -> http.post("/api/v1/releases/" + id + "/close", null), 409,
                "release " + id + " is CLOSED: only a PENDING or RUNNING or PAUSED release can be closed");
        refused(app, () -> http.post("/api/v1/releases/" + id + "/resume", null), 409,
                "release " + id + " is CLOSED: only a PAUSED release can be resumed");
    }
}
