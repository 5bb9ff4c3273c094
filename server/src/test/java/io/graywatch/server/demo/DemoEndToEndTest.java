package io.graywatch.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.CorpusCommand;
import io.graywatch.replay.ReplayCommand;
import io.graywatch.replay.report.Verdicts;
import io.graywatch.server.GraywatchServer;
import io.graywatch.server.release.Release;
import io.graywatch.server.release.ReleaseState;
import io.graywatch.server.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a new user runs it, at a faster pace: the real server, the simulated fleet scraped
 * over HTTP, the detection funnel. The healthy release must complete with no FAIL finding, the
 * faulty one must be intercepted in its first batch with users, everything must be readable back
 * through the API, replaying the exported releases must give the live verdicts back, and the
 * intercepted release's page must show why in a real browser.
 */
class DemoEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theHealthyReleaseCompletesAndTheFaultyOneIsInterceptedAndShownInTheBrowser(@TempDir Path dataDir) throws Exception {
        try (ConfigurableApplicationContext server = GraywatchServer.start(
                "--graywatch.demo.enabled=true", "--server.port=0", "--graywatch.data-dir=" + dataDir,
                "--graywatch.scraper.interval=1s", "--graywatch.demo.history=25s", "--graywatch.demo.observation=28s",
                "--graywatch.demo.analysis-interval=4s")) {
            DemoScenario.Outcome outcome = server.getBean(DemoScenario.class).outcome().get(10, TimeUnit.MINUTES);
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort();

            Release healthy = outcome.healthy(), faulty = outcome.faulty();
            List<JsonNode> healthyFails = findings(get(base + "/api/v1/releases/" + healthy.id() + "/rounds"), "FAIL");
            assertThat(healthy.state()).as("the healthy release (%s), FAIL findings: %s", healthy.reason(), healthyFails)
                    .isEqualTo(ReleaseState.COMPLETED);
            assertThat(healthy.verdict()).isIn(Verdict.PASS, Verdict.WARN);
            assertThat(faulty.state()).isEqualTo(ReleaseState.PAUSED);
            assertThat(faulty.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(faulty.currentBatch()).as("intercepted in the first batch with users").isEqualTo(1);
            assertThat(outcome.ok()).isTrue();

            // everything can be read back through the API
            JsonNode list = get(base + "/api/v1/releases?app=shop");
            assertThat(list).extracting(r -> r.get("id").asLong()).contains(healthy.id(), faulty.id());
            assertThat(healthyFails).as("the healthy release has no FAIL finding").isEmpty();
            JsonNode faultyRounds = get(base + "/api/v1/releases/" + faulty.id() + "/rounds");
            JsonNode last = faultyRounds.get(faultyRounds.size() - 1);
            assertThat(last.get("verdict").asText()).isEqualTo("FAIL");
            List<JsonNode> failing = findings(faultyRounds, "FAIL");
            assertThat(failing).isNotEmpty().allSatisfy(f -> assertThat(f.get("reason").asText()).isNotBlank());
            // the agents shipped the instances' logs: the log rule catches v3's new exception in the first round of the first
            // batch with users, before the error rate is past the deploy warm-up and through the vote
            assertThat(failing).as("the rule on v3's new exception").anySatisfy(f -> {
                assertThat(f.get("source").asText()).isEqualTo("RULE");
                assertThat(f.get("reason").asText()).startsWith("ClassNotFoundException logged");
            });
            List<String> onV3 = new ArrayList<>(faulty.batches().get(0).instances());
            onV3.addAll(faulty.batches().get(1).instances());
            assertThat(failing).filteredOn(f -> f.get("reason").asText().contains("ClassNotFoundException"))
                    .allSatisfy(f -> assertThat(f.get("instances")).extracting(JsonNode::asText).isSubsetOf(onV3));
            JsonNode cnfe = null;
            for (JsonNode g : get(base + "/api/v1/releases/" + faulty.id() + "/logs")) {
                if (g.get("exceptionType").asText().equals("java.lang.ClassNotFoundException")) cnfe = g;
            }
            assertThat(cnfe).as("the exception's log group among those the guard read").isNotNull();
            assertThat(cnfe.get("releaseCount").asLong()).isPositive();
            assertThat(cnfe.get("referenceCount").asLong()).isZero();
            assertThat(cnfe.get("sample").asText()).contains("\tat com.example.shop.pricing.RuleLoader.load(");
            JsonNode agents = get(base + "/api/v1/apps/shop/agents");
            assertThat(agents).hasSize(12).allSatisfy(a -> assertThat(a.get("read").get("lines").asLong()).isPositive());

            // issue 5's round trip on the demo's own recordings: exported through the API, replayed by the replay command,
            // every release gets the live verdict back at the live moment
            Path corpus = dataDir.resolve("corpus"), replayed = dataDir.resolve("replayed");
            assertThat(new CommandLine(new CorpusCommand()).execute("export", "--server", base, "--out", corpus.toString(), "--app", "shop")).isZero();
            assertThat(new CommandLine(new ReplayCommand()).execute(corpus.toString(), "--algorithm", "graywatch", "--out", replayed.toString())).isZero();
            Path faultyCase = corpus.resolve(io.graywatch.server.replay.CorpusExport.caseId(faulty));
            assertThat(faultyCase.resolve("logs.jsonl")).as("the log groups the guard read are exported").exists();
            assertThat(Files.readString(faultyCase.resolve("logs.jsonl"))).contains("java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule");
            assertThat(Files.readString(faultyCase.resolve("case.json"))).contains("\"start_time\"");
            assertThat(io.graywatch.replay.corpus.CaseReader.read(faultyCase).releaseCase().guard().logBucketSeconds())
                    .as("the agents' log bucket, which the replay counts in").isEqualTo(server.getBean(io.graywatch.server.guard.GuardRecords.class).logBucketSeconds(faulty.id())).isPositive();
            Map<String, Verdicts.Row> live = Verdicts.read(corpus.resolve("live-verdicts.csv")), again = Verdicts.read(replayed.resolve("verdicts.csv"));
            assertThat(live).hasSize(2);
            assertThat(again).containsOnlyKeys(live.keySet());
            live.forEach((id, row) -> {
                assertThat(again.get(id).verdict()).as(id + " replayed: " + again.get(id).reason() + "; live: " + row.reason()).isEqualTo(row.verdict());
                assertThat(again.get(id).decidedAt()).as(id).isEqualTo(row.decidedAt());
            });

            try (Chromium chromium = Chromium.launch()) {
                Page page = chromium.browser().newPage();
                page.navigate(base + "/releases");
                page.locator("a[href='/releases/" + faulty.id() + "']").first().click();
                assertThat(page.locator("body")).containsText("Intercepted");
                assertThat(page.locator("body")).containsText(failing.get(0).get("reason").asText());
                assertThat(page.locator("body")).containsText("Guarded by a round every 4 s on samples 1 s apart; 8 s of warm-up ignored");
                assertThat(page.locator(".log-evidence pre.stack").first()).containsText("java.lang.ClassNotFoundException");
                Path shot = Paths.get("target", "ui-screenshots", "demo-intercepted.png");
                Files.createDirectories(shot.getParent());
                page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
            }
        }
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<JsonNode> findings(JsonNode rounds, String severity) {
        List<JsonNode> out = new ArrayList<>();
        rounds.forEach(round -> round.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals(severity)) out.add(f);
        }));
        return out;
    }
}
