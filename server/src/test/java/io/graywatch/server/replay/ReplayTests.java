package io.graywatch.server.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.CorpusExportCommand;
import io.graywatch.replay.corpus.CaseReader;
import io.graywatch.replay.corpus.RecordedGuard;
import io.graywatch.replay.corpus.ReleaseCase;
import io.graywatch.replay.report.Verdicts;
import io.graywatch.server.guard.GuardRound;
import io.graywatch.server.release.Release;
import io.graywatch.server.testing.Http;
import io.graywatch.server.testing.PageTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recorded releases exported as corpus cases and replayed in the server: the export reads back
 * with the replay module's reader, the live judge replayed gives the live verdict back at the same
 * moment, a changed judge shows as changed, and bad requests change nothing.
 */
abstract class ReplayTests extends PageTest {
    private Http http;
    @org.springframework.beans.factory.annotation.Autowired CorpusExport export;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void aRecordedReleaseExportsAsACaseTheReplayModuleReads(@TempDir Path dir) throws Exception {
        Release r = interceptedRelease();
        List<GuardRound> rounds = releases.rounds(r.id());

        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/api/v1/releases/" + r.id() + "/corpus"))).build(),
                BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(CorpusExportCommand.unzip(zip.body(), dir)).isEqualTo(1);

        String caseId = "release-" + r.id() + "-" + r.app() + "-3";
        ReleaseCase c = CaseReader.read(dir.resolve(caseId)).releaseCase();
        assertThat(c.id()).isEqualTo(caseId);
        assertThat(c.app()).isEqualTo(r.app());
        assertThat(c.stepSeconds()).isEqualTo(5);
        assertThat(c.metrics().values()).as("what the rounds read: the app's metrics and the start time")
                .containsExactlyElementsOf(io.graywatch.server.guard.GuardRunner.withStartTime(apps.get(r.app()).metrics()));
        assertThat(c.fromVersion()).isEqualTo("1");
        assertThat(c.toVersion()).isEqualTo("3");
        // the pre-release batch and the first batch with users were deployed; the reader numbers batches from 1
        assertThat(c.batches()).extracting(Batch::at).containsExactly(r.batches().get(0).startedAt().getEpochSecond(),
                r.batches().get(1).startedAt().getEpochSecond());
        assertThat(c.batches()).extracting(Batch::preRelease).containsExactly(true, false);
        assertThat(c.batches()).extracting(Batch::instances).containsExactly(r.batches().get(0).instances(), r.batches().get(1).instances());
        assertThat(c.instances()).hasSize(8)
                .containsEntry(r.app() + "-1", "3").containsEntry(r.app() + "-2", "3").containsEntry(r.app() + "-8", "1");
        long end = rounds.get(rounds.size() - 1).at().getEpochSecond();
        assertThat(c.start()).isEqualTo(c.firstBatchAt());
        assertThat(c.end()).isEqualTo(end);
        assertThat(c.windowFrom()).isEqualTo(c.start() - 180);
        assertThat(c.windowTo()).isEqualTo(end);
        assertThat(c.guard().rounds()).extracting(RecordedGuard.Round::at).containsExactlyElementsOf(rounds.stream().map(g -> g.at().getEpochSecond()).toList());
        // the round that passed the pre-release batch ran before the next batch was deployed in the same second
        assertThat(c.guard().rounds()).extracting(RecordedGuard.Round::batches).containsExactlyElementsOf(rounds.stream().map(g -> g.batch() + 1).toList());
        assertThat(c.guard().analysisSeconds()).isEqualTo(5);
        assertThat(c.guard().config()).isEqualTo(apps.get(r.app()).guard().toConfig());
        assertThat(c.guard().algorithm()).isEqualTo("scripted");
        assertThat(c.logs()).as("the server records no log events yet").isEmpty();
        assertThat(c.guard().logBucketSeconds()).as("no log counts were read").isZero();
        assertThat(dir.resolve(caseId).resolve("logs.jsonl")).doesNotExist();
        assertThat(dir.resolve("labels.csv")).as("a live release has no truth").doesNotExist();

        Observations recorded = records.samples(r.id(), null);
        for (String instance : c.instanceIds()) {
            assertThat(c.observations().series(instance, "error_rate").times()).containsExactly(recorded.series(instance, "error_rate").times());
            assertThat(c.observations().series(instance, "error_rate").values()).containsExactly(recorded.series(instance, "error_rate").values());
        }
        GuardRound fail = rounds.stream().filter(g -> g.verdict() == Verdict.FAIL).findFirst().orElseThrow();
        Map<String, Verdicts.Row> live = Verdicts.read(dir.resolve("live-verdicts.csv"));
        assertThat(live).containsOnlyKeys(caseId);
        assertThat(live.get(caseId).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(live.get(caseId).decidedAt()).isEqualTo(fail.at().getEpochSecond());
        assertThat(live.get(caseId).reason()).isEqualTo(fail.reason());
    }

    @Test
    void replayingWithTheLiveJudgeGivesTheLiveVerdictAtTheSameMoment() {
        Release r = interceptedRelease();
        GuardRound fail = releases.rounds(r.id()).stream().filter(g -> g.verdict() == Verdict.FAIL).findFirst().orElseThrow();

        Http.Response started = http.post("/api/v1/replays", """
                {"releaseIds": [%d], "algorithm": "graywatch"}""".formatted(r.id()));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        JsonNode done = finished(started.json().get("id").asLong());

        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.get("judge").asText()).as("graywatch replays with the live guards' own judge").isEqualTo("scripted");
        assertThat(done.get("summary").get("cases").asInt()).isEqualTo(1);
        assertThat(done.get("summary").get("intercepted").asInt()).isEqualTo(1);
        assertThat(done.get("changed").asInt()).isZero();
        JsonNode x = done.get("releases").get(0);
        assertThat(x.get("releaseId").asLong()).isEqualTo(r.id());
        assertThat(x.get("liveVerdict").asText()).isEqualTo("FAIL");
        assertThat(x.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(x.get("decidedAt").asLong()).isEqualTo(fail.at().getEpochSecond()).isEqualTo(x.get("liveDecidedAt").asLong());
        assertThat(x.get("reason").asText()).isEqualTo(fail.reason());
        assertThat(x.get("rounds").asInt()).isEqualTo(releases.rounds(r.id()).size());
        assertThat(x.get("changed").asBoolean()).isFalse();
    }

    @Test
    void aReplayWithAChangedJudgeShowsTheReleasesWhoseVerdictChanged() {
        Release r = interceptedRelease();
        judge.script(r.app(), in -> Verdict.PASS);

        Http.Response started = http.post("/api/v1/replays", """
                {"app": "%s", "algorithm": "graywatch"}""".formatted(r.app()));
        assertThat(started.status()).isEqualTo(202);
        long id = started.json().get("id").asLong();
        JsonNode done = finished(id);
        assertThat(done.get("app").asText()).isEqualTo(r.app());
        assertThat(done.get("changed").asInt()).isEqualTo(1);
        JsonNode x = done.get("releases").get(0);
        assertThat(x.get("liveVerdict").asText()).isEqualTo("FAIL");
        assertThat(x.get("verdict").asText()).isEqualTo("PASS");
        assertThat(x.get("decidedAt").isNull()).isTrue();
        assertThat(x.get("changed").asBoolean()).isTrue();

        String page = get("/replays/" + id).body();
        assertThat(page).contains("class=\"changed\"", "href=\"/releases/" + r.id() + "\"");
        assertThat(text(page)).contains("Replay #" + id + ": graywatch", "1 release, 0 intercepted; 1 with another verdict than the live guard gave",
                "#" + r.id() + " " + r.app() + " 3 changed FAIL PASS");
        String list = get("/replays").body();
        assertThat(list).contains("href=\"/replays/" + id + "\"", "href=\"/replays\" class=\"active\"");
        assertThat(text(list)).contains("Replays", "graywatch (scripted 1)");
    }

    @Test
    void theBaselinesReplayInTheServerToo() {
        Release r = interceptedRelease();
        for (String algorithm : List.of("kayenta", "threshold")) {
            Http.Response started = http.post("/api/v1/replays", """
                    {"releaseIds": [%d], "algorithm": "%s"}""".formatted(r.id(), algorithm));
            JsonNode done = finished(started.json().get("id").asLong());
            assertThat(done.get("state").asText()).isEqualTo("DONE");
            assertThat(done.get("judge").asText()).isEqualTo(algorithm);
            assertThat(done.get("releases").get(0).get("liveVerdict").asText()).isEqualTo("FAIL");
            assertThat(done.get("releases").get(0).get("rounds").asInt()).isPositive();
        }
        JsonNode list = http.get("/api/v1/replays?limit=2").json();
        assertThat(list).extracting(n -> n.get("algorithm").asText()).containsExactly("threshold", "kayenta");
    }

    @Test
    void theFormStartsAReplayOfAnAppAndARefusedOneSaysWhy() {
        Release r = interceptedRelease();
        HttpResponse<String> refused = post("/replays?algorithm=graywatch&app=nosuchapp");
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(text(refused.body())).contains("Replay refused: app 'nosuchapp' not found: create it with POST /api/v1/apps");

        HttpResponse<String> started = post("/replays?algorithm=threshold&app=" + r.app());
        assertThat(started.statusCode()).isEqualTo(302);
        String location = started.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(".*/replays/\\d+");
        assertThat(text(get(URI.create(location).getPath()).body())).contains(": threshold");
    }

    @Test
    void aRoundAfterAResumeIsExportedAsAFreshVote() {
        String app = newApp(2);
        long id = releases.plan(plan(app, "2", 30, count(1), count(1))).id();
        tickFor(java.time.Duration.ofSeconds(12));   // deploy at +1, rounds at +6 and +11
        releases.pause(id, "a look");
        tickFor(java.time.Duration.ofSeconds(3));
        releases.resume(id, null);
        tickFor(java.time.Duration.ofSeconds(11));   // rounds at +20 and +25, after a fresh start

        RecordedRelease r = export.recorded(id);
        assertThat(r.releaseCase().guard().rounds()).extracting(RecordedGuard.Round::freshVote).containsExactly(false, false, true, false);
        assertThat(r.live().verdict()).isEqualTo(Verdict.PASS);
    }

    /** Everything a refused request could change. */
    private List<Long> snapshot() {
        return List.of(count("replay_run"), count("replay_case"), count("release_plan"), count("guard_round"));
    }

    private long count(String table) {
        return db.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private void refused(Supplier<Http.Response> request, int status, String detail) {
        List<Long> before = snapshot();
        Http.Response r = request.get();
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).isEqualTo(detail);
        assertThat(snapshot()).as("a refused request changes nothing").isEqualTo(before);
    }

    @Test
    void badRequestsSayWhatToFixAndChangeNothing() {
        Release r = interceptedRelease();
        String app = newApp(2);
        long pending = releases.plan(new io.graywatch.server.release.ReleasePlanRequest(app, "2", List.of(count(1)), 30, null, false)).id();

        refused(() -> http.post("/api/v1/replays", "{\"releaseIds\": [" + r.id() + "], \"algorithm\": \"bayes\"}"), 400,
                "algorithm: unknown algorithm 'bayes': use one of graywatch, kayenta, threshold");
        refused(() -> http.post("/api/v1/replays", "{\"releaseIds\": [" + r.id() + "], \"app\": \"" + r.app() + "\"}"), 400,
                "name the releases either by releaseIds (a non-empty list) or by app (with optional from and to), not both");
        refused(() -> http.post("/api/v1/replays", "{}"), 400,
                "name the releases either by releaseIds (a non-empty list) or by app (with optional from and to), got neither");
        refused(() -> http.post("/api/v1/replays", "{\"releaseIds\": [999999]}"), 404, "release 999999 not found");
        refused(() -> http.post("/api/v1/replays", "{\"app\": \"nosuchapp\"}"), 404, "app 'nosuchapp' not found: create it with POST /api/v1/apps");
        refused(() -> http.post("/api/v1/replays", "{\"app\": \"" + app + "\"}"), 404, "app '" + app + "' has no release judged by its guard");
        refused(() -> http.post("/api/v1/replays", "{\"releaseIds\": [" + pending + "]}"), 409,
                "release " + pending + " is PENDING and its guard has not judged it yet: only a release with at least one guard round can be exported or replayed");
        refused(() -> http.post("/api/v1/replays", "{\"releaseIds\": [" + r.id() + "], \"algo\": \"kayenta\"}"), 400,
                "unknown field 'algo': known fields here are [algorithm, app, releaseIds]");
        refused(() -> http.get("/api/v1/replays/999999"), 404, "replay 999999 not found");
        refused(() -> http.get("/api/v1/replays?limit=0"), 400, "limit: must be between 1 and 1000");

        refused(() -> http.get("/api/v1/releases/999999/corpus"), 404, "release 999999 not found");
        refused(() -> http.get("/api/v1/releases/" + pending + "/corpus"), 409,
                "release " + pending + " is PENDING and its guard has not judged it yet: only a release with at least one guard round can be exported or replayed");
        refused(() -> http.post("/api/v1/corpus/export", "{\"releaseIds\": [" + r.id() + "], \"from\": \"2030-01-01T00:00:00Z\"}"), 400,
                "from and to select an app's releases: leave them out with releaseIds");
        refused(() -> http.post("/api/v1/corpus/export", "{\"app\": \"" + r.app() + "\", \"from\": \"2031-01-01T00:00:00Z\", \"to\": \"2030-01-01T00:00:00Z\"}"), 400,
                "from must be before to, got 2031-01-01T00:00:00Z and 2030-01-01T00:00:00Z");
        refused(() -> http.post("/api/v1/corpus/export", "{\"app\": \"" + r.app() + "\", \"from\": \"2031-01-01T00:00:00Z\"}"), 404,
                "app '" + r.app() + "' has no release judged by its guard created from 2031-01-01T00:00:00Z");
        refused(() -> http.post("/api/v1/corpus/export", "{\"app\": \"" + r.app() + "\", \"from\": \"yesterday\"}"), 400,
                "from: 'yesterday' is not a JSON object");
    }

    @Test
    void anAppsReleasesExportAsOneCorpusWithTheirLiveVerdicts(@TempDir Path dir) throws IOException {
        Release r = interceptedRelease();
        Http.Response wrong = http.post("/api/v1/corpus/export", "{\"app\": \"" + r.app() + "\"}");
        assertThat(wrong.status()).isEqualTo(200);
        int code = new picocli.CommandLine(new io.graywatch.replay.CorpusCommand()).execute("export", "--server", url(""), "--out", dir.toString(),
                "--app", r.app(), "--from", "2029-01-01T00:00:00Z");
        assertThat(code).isZero();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("live-verdicts.csv", CorpusExport.caseId(r));

        Path other = dir.resolve("other");
        assertThat(new picocli.CommandLine(new io.graywatch.replay.CorpusCommand()).execute("export", "--server", url(""), "--out", other.toString(),
                "--release", "999999")).as("an unknown release").isEqualTo(1);
        assertThat(other).doesNotExist();
        assertThat(new picocli.CommandLine(new io.graywatch.replay.CorpusCommand()).execute("export", "--server", "http://127.0.0.1:1", "--out",
                other.toString(), "--release", "1")).as("no server there").isEqualTo(1);
        assertThat(new picocli.CommandLine(new io.graywatch.replay.CorpusCommand()).execute("export", "--out", other.toString()))
                .as("neither --release nor --app").isEqualTo(2);
    }

    /** Polls the replay until it is no longer running. */
    private JsonNode finished(long id) {
        for (int i = 0; i < 600; i++) {
            JsonNode r = http.get("/api/v1/replays/" + id).json();
            if (!r.get("state").asText().equals("RUNNING")) return r;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("replay " + id + " did not finish in 30 s");
    }
}
