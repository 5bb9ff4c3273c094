package io.graywatch.server.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.Algorithms;
import io.graywatch.replay.CorpusCommand;
import io.graywatch.replay.ReplayCommand;
import io.graywatch.replay.report.Verdicts;
import io.graywatch.server.app.AppRequest;
import io.graywatch.server.release.Release;
import io.graywatch.server.release.ReleaseState;
import io.graywatch.server.testing.Http;
import io.graywatch.server.testing.OnH2;
import io.graywatch.server.testing.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's round trip: releases guarded live by the detection funnel on the real server (one
 * healthy, one intercepted), exported with {@code graywatch corpus export} through the API,
 * replayed with {@code graywatch replay --algorithm graywatch}: every replayed verdict is the live
 * one, decided at the same moment, and so is the server's own replay.
 */
@OnH2
@Import(RoundTripWithFunnelTest.Funnel.class)
class RoundTripWithFunnelTest extends ServerTest {
    private static final int INSTANCES = 8;
    private static final int OBSERVATION = 30;

    /** The live guards judge with the funnel as the replay command runs it, instead of the scripted judge. */
    @TestConfiguration
    static class Funnel {
        @Bean
        @Primary
        Judge funnel() {
            return Algorithms.byName("graywatch").get();
        }
    }

    @Test
    void aReplayOfExportedReleasesGivesTheLiveVerdictsAtTheLiveMoments(@TempDir Path dir) throws Exception {
        long t0 = clock.instant().getEpochSecond();
        String healthyApp = app(t0, false), faultyApp = app(t0, true);
        long healthyId = releases.plan(plan(healthyApp, "2", OBSERVATION, count(1), share(50), share(100))).id();
        long faultyId = releases.plan(plan(faultyApp, "3", OBSERVATION, count(1), share(50), share(100))).id();
        Release healthy = runUntilStopped(healthyId), faulty = runUntilStopped(faultyId);
        assertThat(healthy.state()).as(healthy.reason()).isEqualTo(ReleaseState.COMPLETED);
        assertThat(healthy.verdict()).isIn(Verdict.PASS, Verdict.WARN);
        assertThat(faulty.state()).as(faulty.reason()).isEqualTo(ReleaseState.PAUSED);
        assertThat(faulty.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(faulty.currentBatch()).as("intercepted in its first batch").isZero();

        Path corpus = dir.resolve("corpus"), out = dir.resolve("replayed");
        String server = "http://127.0.0.1:" + port;
        assertThat(new CommandLine(new CorpusCommand()).execute("export", "--server", server, "--out", corpus.toString(),
                "--release", String.valueOf(healthyId), "--release", String.valueOf(faultyId))).isZero();
        Path liveFile = corpus.resolve(CorpusExport.LIVE_VERDICTS);
        assertThat(new CommandLine(new ReplayCommand()).execute(corpus.toString(), "--algorithm", "graywatch", "--compare", liveFile.toString(),
                "--out", out.toString())).isZero();

        Map<String, Verdicts.Row> live = Verdicts.read(liveFile), replayed = Verdicts.read(out.resolve("verdicts.csv"));
        assertThat(live.get(CorpusExport.caseId(healthy)).verdict()).isEqualTo(healthy.verdict());
        assertThat(live.get(CorpusExport.caseId(faulty)).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(replayed).containsOnlyKeys(live.keySet());
        live.forEach((id, row) -> {
            assertThat(replayed.get(id).verdict()).as(id).isEqualTo(row.verdict());
            assertThat(replayed.get(id).decidedAt()).as(id).isEqualTo(row.decidedAt());
            assertThat(replayed.get(id).reason()).as(id).isEqualTo(row.reason());
        });

        // at the plain cadence (a round every analysis interval from the first batch) the verdicts hold, within a round
        Path cadence = dir.resolve("cadence");
        assertThat(new CommandLine(new ReplayCommand()).execute(corpus.toString(), "--round-seconds", "5", "--out", cadence.toString())).isZero();
        Map<String, Verdicts.Row> onGrid = Verdicts.read(cadence.resolve("verdicts.csv"));
        live.forEach((id, row) -> {
            assertThat(onGrid.get(id).verdict()).as(id).isEqualTo(row.verdict());
            if (row.decidedAt() != null) assertThat(onGrid.get(id).decidedAt()).as(id).isBetween(row.decidedAt() - 5, row.decidedAt() + 5);
        });

        Http http = new Http(port);
        long replay = http.post("/api/v1/replays", "{\"releaseIds\": [" + healthyId + ", " + faultyId + "]}").json().get("id").asLong();
        JsonNode done = finished(http, replay);
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.get("judge").asText()).isEqualTo("graywatch");
        assertThat(done.get("changed").asInt()).isZero();
        done.get("releases").forEach(x -> assertThat(x.get("decidedAt")).as(x.toString()).isEqualTo(x.get("liveDecidedAt")));
    }

    /**
     * An app of 8 instances, a round every 5 s over 5 s samples and 10 minutes of history, whose
     * traffic, latency, CPU and memory are noisy and steady; a faulty one's instances err 20 times
     * more from the moment they switch (batch k is deployed at t0 + 1 + 30k while batches pass).
     */
    private String app(long t0, boolean faulty) {
        String app = (faulty ? "faulty" : "healthy") + System.nanoTime() % 100000;
        fleet.add(app, INSTANCES, "1");
        apps.create(new AppRequest(app, null, new AppRequest.Guard(5, 5, 10L, 600L, null, null, null), null));
        Random noise = new Random(faulty ? 11 : 7);
        Observations.Builder b = Observations.builder();
        int n = (600 + 200) / 5;
        for (int i = 1; i <= INSTANCES; i++) {
            String instance = app + "-" + i;
            long switchAt = t0 + 1 + OBSERVATION * (i == 1 ? 0 : i <= 4 ? 1 : 2);
            long[] t = new long[n];
            double[][] v = new double[6][n];
            for (int k = 0; k < n; k++) {
                t[k] = t0 - 600 + 5L * k;
                boolean erring = faulty && t[k] >= switchAt;
                v[0][k] = 50 + noise.nextGaussian() * 3;
                v[1][k] = erring ? 6 + noise.nextGaussian() * 0.8 : 0.3 + Math.abs(noise.nextGaussian() * 0.1);
                v[2][k] = 20 + noise.nextGaussian() * 1.5;
                v[3][k] = 80 + noise.nextGaussian() * 6;
                v[4][k] = 30 + noise.nextGaussian() * 2;
                v[5][k] = 500 + noise.nextGaussian() * 5;
            }
            String[] names = {"qps", "error_rate", "latency_avg_ms", "latency_p99_ms", "cpu_percent", "memory_mb"};
            for (int m = 0; m < names.length; m++) b.put(instance, names[m], Series.of(t, v[m]));
        }
        metrics.put(app, b.build());
        return app;
    }

    private static JsonNode finished(Http http, long id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode r = http.get("/api/v1/replays/" + id).json();
            if (!r.get("state").asText().equals("RUNNING")) return r;
            Thread.sleep(50);
        }
        throw new AssertionError("replay " + id + " did not finish in 30 s");
    }
}
