package io.graywatch.server.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.graywatch.agent.Agent;
import io.graywatch.agent.ship.Shipment;
import io.graywatch.agent.ship.Shipper;
import io.graywatch.agent.tail.LogTail;
import io.graywatch.core.funnel.GraywatchJudge;
import io.graywatch.core.guard.FindingDetector;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.testing.ScriptedJudge;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.server.testing.Http;
import io.graywatch.server.testing.ServerTest;
import io.graywatch.server.testing.TestFixtures;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The server side of the agent: taking shipments, keeping them, serving them to guards, forgetting them. */
abstract class AgentLogsTests extends ServerTest {
    static final String STACK = """
            2030-01-01 00:00:03.250 ERROR [http-nio-8080-exec-3] com.example.shop.OrderService - pricing failed
            java.lang.IllegalStateException: could not price order
            \tat com.example.shop.PricingService.price(PricingService.java:87)
            Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule
            \tat com.example.shop.pricing.RuleLoader.load(RuleLoader.java:44)
            \t... 1 more""";

    @Autowired StoredLogSource logSource;
    @Autowired LogRetention retention;
    @Autowired FindingDetector logDetector;

    Http http() {
        return new Http(port);
    }

    static Shipment.Group exception(long bucket, long count) {
        return new Shipment.Group("cnfe-1", LogGroup.Kind.EXCEPTION, "ERROR", "java.lang.IllegalStateException", "java.lang.ClassNotFoundException",
                "java.lang.IllegalStateException @ com.example.shop.PricingService.price | root java.lang.ClassNotFoundException",
                List.of(new Shipment.Count(bucket, count)), bucket + 1, bucket + 9, List.of(STACK));
    }

    static Shipment.Group timeout(long bucket, long count) {
        return new Shipment.Group("timeout-1", LogGroup.Kind.TEMPLATE, "WARN", null, null, "timeout after <*> ms calling <*>",
                List.of(new Shipment.Count(bucket, count)), bucket, bucket + 5,
                List.of("2030-01-01 00:00:04.000 WARN  [http-nio-8080-exec-1] c.e.shop.InventoryClient - timeout after 3000 ms calling 10.2.3.4"));
    }

    static Shipment.Group withoutSamples(Shipment.Group g, Shipment.Count more) {
        List<Shipment.Count> counts = new java.util.ArrayList<>(g.counts());
        counts.add(more);
        return new Shipment.Group(g.id(), g.kind(), g.level(), g.exceptionType(), g.rootCauseType(), g.template(), counts, g.firstSeen(),
                more.bucketStart(), List.of());
    }

    static Shipment shipment(String app, String instance, long seq, List<Shipment.Group> groups) {
        return new Shipment(Shipment.FORMAT, instance + "-1000-" + seq, app, instance, "0.1.0", 1000, seq, 1_893_456_000L, 10, groups,
                new Shipment.Stats(100, 3, 90, 1, 0, 10_000, 1), Shipment.Dropped.NONE);
    }

    Http.Response ship(Shipment s) {
        return http().postWithToken(Shipment.PATH, s.toJson(), TestFixtures.AGENT_TOKEN);
    }

    long rows(String table, String app) {
        return db.sql("SELECT COUNT(*) FROM " + table + " WHERE app = ?").param(app).query(Long.class).single();
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    @Test
    void aShipmentWithoutTheServersTokenIsRefusedAndNothingIsStored() {
        String app = newApp(2);
        byte[] body = shipment(app, app + "-1", 1, List.of(exception(now(), 2))).toJson();

        for (String token : new String[]{"wrong", null, ""}) {
            Http.Response r = http().postWithToken(Shipment.PATH, body, token);
            assertThat(r.status()).as("token %s", token).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"message\":\"unknown agent token\"}");
        }
        assertThat(rows("log_shipment", app) + rows("log_count", app) + rows("log_agent", app)).isZero();
    }

    @Test
    void aShipmentSentAgainIsCountedOnce() {
        String app = newApp(2);
        long t = now() / 10 * 10;
        Shipment s = shipment(app, app + "-1", 1, List.of(exception(t, 3), timeout(t, 1)));

        Http.Response first = ship(s), again = ship(s);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("duplicate").asBoolean()).isFalse();
        assertThat(first.json().get("events").asLong()).isEqualTo(4);
        assertThat(again.status()).as("the agent must drop it from its buffer: 2xx").isEqualTo(200);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        LogData data = logSource.fetch(app, List.of(app + "-1", app + "-2"), t - 60, t + 60);
        assertThat(data.counts()).extracting(LogCount::groupId, LogCount::count)
                .containsExactlyInAnyOrder(Tuple.tuple("cnfe-1", 3L), Tuple.tuple("timeout-1", 1L));
        assertThat(http().get("/api/v1/apps/" + app + "/agents").json().get(0).get("shipments").asLong()).isEqualTo(1);
    }

    @Test
    void aMalformedOrInvalidShipmentIsRefusedWithAMessageAndNothingIsStored() {
        String app = newApp(2);
        long t = now();
        byte[] good = shipment(app, app + "-1", 1, List.of(exception(t, 3))).toJson();
        String json = new String(good, StandardCharsets.UTF_8);

        Http.Response truncated = http().postWithToken(Shipment.PATH, json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8),
                TestFixtures.AGENT_TOKEN);
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.json().get("message").asText()).startsWith("malformed shipment: ");

        Http.Response empty = http().postWithToken(Shipment.PATH, new byte[0], TestFixtures.AGENT_TOKEN);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("message").asText()).isEqualTo("the body is empty: send the agent's shipment JSON");

        Http.Response format = http().postWithToken(Shipment.PATH, json.replace("\"format\":1", "\"format\":7").getBytes(StandardCharsets.UTF_8),
                TestFixtures.AGENT_TOKEN);
        assertThat(format.status()).isEqualTo(400);
        assertThat(format.json().get("message").asText()).isEqualTo("unsupported shipment format 7, expected 1");

        // the first group is fine, the second is not: nothing of the shipment is kept
        Http.Response negative = ship(shipment(app, app + "-1", 2, List.of(exception(t, 3), timeout(t, -4))));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("message").asText()).isEqualTo("groups[1].counts[0].count: must not be negative, got -4");

        Http.Response unknownApp = ship(shipment("no-such-app", "x-1", 1, List.of(exception(t, 1))));
        assertThat(unknownApp.status()).isEqualTo(404);
        assertThat(unknownApp.json().get("message").asText())
                .isEqualTo("app 'no-such-app' is not onboarded: create it with POST /api/v1/apps before its agents ship");

        assertThat(rows("log_shipment", app) + rows("log_count", app) + rows("log_group", app) + rows("log_sample", app) + rows("log_agent", app))
                .isZero();
        assertThat(rows("log_shipment", "no-such-app")).isZero();
    }

    @Test
    void countsAddUpAcrossShipmentsAndTheSourceAnswersForTheInstancesAndWindowAsked() {
        String app = newApp(3);
        long t = now() / 10 * 10;
        assertThat(ship(shipment(app, app + "-1", 1, List.of(exception(t, 2), timeout(t - 600, 5)))).status()).isEqualTo(200);
        assertThat(ship(shipment(app, app + "-1", 2, List.of(withoutSamples(exception(t, 1), new Shipment.Count(t + 10, 4))))).status()).isEqualTo(200);
        assertThat(ship(shipment(app, app + "-2", 1, List.of(timeout(t, 1)))).status()).isEqualTo(200);

        LogData all = logSource.fetch(app, List.of(app + "-1", app + "-2", app + "-3"), t - 3600, t + 60);
        assertThat(all.bucketSeconds()).isEqualTo(10);
        assertThat(all.counts()).extracting(LogCount::bucketStart, LogCount::instance, LogCount::groupId, LogCount::count).containsExactly(
                Tuple.tuple(t - 600, app + "-1", "timeout-1", 5L),
                Tuple.tuple(t, app + "-1", "cnfe-1", 3L), Tuple.tuple(t, app + "-2", "timeout-1", 1L),
                Tuple.tuple(t + 10, app + "-1", "cnfe-1", 4L));
        LogGroup cnfe = all.groups().get("cnfe-1");
        assertThat(cnfe.kind()).isEqualTo(LogGroup.Kind.EXCEPTION);
        assertThat(cnfe.rootCauseType()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(cnfe.sample()).isEqualTo(STACK);

        assertThat(logSource.fetch(app, List.of(app + "-2"), t - 3600, t + 60).groups()).containsOnlyKeys("timeout-1");
        assertThat(logSource.fetch(app, List.of(app + "-1"), t - 60, t).counts()).extracting(LogCount::count).containsExactly(3L);
        assertThat(logSource.fetch(app, List.of(app + "-3"), t - 3600, t + 60).counts()).isEmpty();
    }

    @Test
    void whatIsOlderThanTheRetentionIsForgotten() {
        String app = newApp(2);
        long t = now() / 10 * 10;
        long old = t - Duration.ofHours(7).toSeconds();
        ship(shipment(app, app + "-1", 1, List.of(timeout(old, 2))));
        ship(shipment(app, app + "-1", 2, List.of(timeout(t - 3600, 1), exception(t - 60, 1))));
        ship(shipment(app, app + "-2", 1, List.of(timeout(old, 7))));

        assertThat(retention.retention()).isEqualTo(Duration.ofHours(6));
        retention.prune();

        LogData kept = logSource.fetch(app, List.of(app + "-1", app + "-2"), old - 60, t + 60);
        assertThat(kept.counts()).extracting(LogCount::bucketStart).containsExactly(t - 3600, t - 60);
        assertThat(kept.groups()).containsOnlyKeys("timeout-1", "cnfe-1");
        assertThat(db.sql("SELECT COUNT(*) FROM log_group_instance WHERE app = ? AND instance = ?").params(app, app + "-2").query(Long.class).single())
                .as("instance 2 logged the group last 7 hours ago").isZero();
        assertThat(rows("log_sample", app)).as("the samples of 7 hours ago are gone").isEqualTo(2);
        assertThat(rows("log_agent", app)).isEqualTo(2);

        // seven hours later nothing is left, not even the agents, which have not shipped since
        clock.advance(Duration.ofHours(7));
        retention.prune();
        assertThat(rows("log_count", app) + rows("log_group", app) + rows("log_group_instance", app) + rows("log_sample", app)
                + rows("log_shipment", app) + rows("log_agent", app)).isZero();
    }

    @Test
    void theAgentsOfAnAppAreListedWithWhatTheyReadAndDropped() {
        String app = newApp(3);
        long t = now();
        ship(shipment(app, app + "-2", 1, List.of(exception(t, 1))));
        Shipment later = shipment(app, app + "-2", 2, List.of());
        ship(new Shipment(later.format(), later.id(), app, later.instance(), "0.2.0", later.agentStartedAt(), 2, later.createdAt() + 10, 10,
                List.of(), new Shipment.Stats(50, 0, 50, 0, 2, 4000, 2), new Shipment.Dropped(3, 30, 3000)));
        ship(shipment(app, app + "-1", 1, List.of()));

        JsonNode agents = http().get("/api/v1/apps/" + app + "/agents").json();
        assertThat(agents).extracting(a -> a.get("instance").asText()).containsExactly(app + "-1", app + "-2");
        JsonNode two = agents.get(1);
        assertThat(two.get("agentVersion").asText()).isEqualTo("0.2.0");
        assertThat(two.get("lastSeen").asText()).isEqualTo(clock.instant().toString());
        assertThat(two.get("shipments").asLong()).isEqualTo(2);
        assertThat(two.get("files").asInt()).isEqualTo(2);
        assertThat(two.get("read").get("lines").asLong()).isEqualTo(150);
        assertThat(two.get("read").get("binaryLines").asLong()).isEqualTo(2);
        assertThat(two.get("dropped").get("events").asLong()).isEqualTo(30);
        assertThat(two.get("dropped").get("shipments").asLong()).isEqualTo(3);

        Http.Response unknown = http().get("/api/v1/apps/no-such-app/agents");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).contains("app 'no-such-app' not found");
    }

    @Test
    void fromTheAgentThroughTheServerToTheGuardAndAFinding(@TempDir Path dir) throws Exception {
        String app = newApp(2);
        String released = app + "-1", reference = app + "-2";
        long t0 = now();
        // a flaky timeout everywhere, before and after the release; a class that cannot be loaded on the released instance only
        StringBuilder one = new StringBuilder(), two = new StringBuilder();
        for (long t = t0 - 300; t < t0 + 6; t += 20) {
            one.append(line(t, "WARN  [http-nio-8080-exec-1] c.e.shop.InventoryClient - timeout after " + (t % 900) + " ms calling 10.0.0.7"));
            two.append(line(t + 3, "WARN  [http-nio-8080-exec-4] c.e.shop.InventoryClient - timeout after " + (t % 700) + " ms calling 10.0.0.9"));
        }
        for (long t = t0 + 2; t <= t0 + 5; t++) {
            one.append(line(t, "ERROR [http-nio-8080-exec-2] com.example.shop.OrderService - pricing failed")).append("""
                    java.lang.IllegalStateException: could not price order
                    \tat com.example.shop.PricingService$$SpringCGLIB$$0.price(<generated>)
                    \tat com.example.shop.OrderController.create(OrderController.java:41)
                    Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule
                    \tat com.example.shop.pricing.RuleLoader.load(RuleLoader.java:44)
                    \t... 2 more
                    """);
        }
        Files.writeString(dir.resolve(released + ".log"), one);
        Files.writeString(dir.resolve(reference + ".log"), two);
        for (String instance : List.of(released, reference)) {
            Path log = dir.resolve(instance + ".log");
            Agent.Settings settings = Agent.Settings.of(app, instance, URI.create("http://127.0.0.1:" + port), TestFixtures.AGENT_TOKEN,
                            List.of(log.toString()), dir.resolve("buffer-" + instance))
                    .withTail(LogTail.Options.of(List.of(log.toString())).withFromStart(true).withQuietPeriods(Duration.ZERO, Duration.ZERO));
            List<String> said = new ArrayList<>();
            try (Agent agent = new Agent(settings, said::add)) {
                assertThat(agent.shipOnce().outcome()).as(String.join("; ", said)).isEqualTo(Shipper.Outcome.SENT);
                assertThat(agent.buffer().size()).isZero();
            }
        }

        // the guard's first round after the release switched instance 1 reads what the agents shipped
        long id = releases.plan(plan(app, "2", 60, named(released), named(reference))).id();
        tickFor(Duration.ofSeconds(6));
        ScriptedJudge.Call call = judge.calls(app).get(judge.calls(app).size() - 1);
        LogData read = call.input().logs();
        LogGroup cnfe = read.groups().values().stream().filter(g -> g.involves("ClassNotFoundException")).findFirst().orElseThrow();
        assertThat(cnfe.sample()).contains("pricing failed", "Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule");
        assertThat(read.counts()).filteredOn(c -> c.groupId().equals(cnfe.id())).extracting(LogCount::instance).containsOnly(released);
        assertThat(read.counts().stream().filter(c -> c.groupId().equals(cnfe.id())).mapToLong(LogCount::count).sum()).isEqualTo(4);
        assertThat(call.input().metrics()).as("the start time is read with the metrics, to tell restarts").containsKey("start_time");

        // the funnel, with the log detector the server registers, intercepts on that input at once
        RoundResult result = new GraywatchJudge(List.of(logDetector)).judge(call.input(), GuardState.initial());
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.findings()).anySatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.reason()).contains("ClassNotFoundException");
            assertThat(f.instances()).containsExactly(released);
        });

        // the round recorded what it read, and the release's logs show it
        JsonNode logs = http().get("/api/v1/releases/" + id + "/logs").json();
        JsonNode first = logs.get(0);
        assertThat(first.get("id").asText()).isEqualTo(cnfe.id());
        assertThat(first.get("kind").asText()).isEqualTo("EXCEPTION");
        assertThat(first.get("rootCauseType").asText()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(first.get("releaseCount").asLong()).isEqualTo(4);
        assertThat(first.get("referenceCount").asLong()).isZero();
        assertThat(first.get("sample").asText()).contains("\tat com.example.shop.pricing.RuleLoader.load(RuleLoader.java:44)");
        long timeouts = 0;
        for (JsonNode g : logs) {
            if (!g.get("kind").asText().equals("TEMPLATE")) continue;
            long counted = 0;
            for (JsonNode b : g.get("counts")) counted += b.get("release").asLong() + b.get("reference").asLong();
            assertThat(counted).isEqualTo(g.get("releaseCount").asLong() + g.get("referenceCount").asLong());
            timeouts += counted;
        }
        assertThat(timeouts).as("every timeout line of both instances").isEqualTo(32);

        JsonNode agents = http().get("/api/v1/apps/" + app + "/agents").json();
        assertThat(agents).extracting(a -> a.get("instance").asText()).containsExactly(released, reference);
        assertThat(agents).allSatisfy(a -> {
            assertThat(a.get("agentVersion").asText()).isEqualTo(Agent.VERSION);
            assertThat(a.get("read").get("lines").asLong()).isPositive();
            assertThat(a.get("dropped").get("events").asLong()).isZero();
        });
    }

    private static String line(long t, String rest) {
        return TIME.format(Instant.ofEpochSecond(t)) + " " + rest + "\n";
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
}
