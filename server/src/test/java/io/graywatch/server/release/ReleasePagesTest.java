package io.graywatch.server.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.guard.JudgedRound;
import io.graywatch.server.testing.OnH2;
import io.graywatch.server.testing.PageTest;
import io.graywatch.server.ui.Formats;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The release list and the release page over real HTTP, as a browser (and htmx) gets them. */
@OnH2
class ReleasePagesTest extends PageTest {
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final Pattern SEEN = Pattern.compile("seen=([0-9a-f]+)");
    private static final Pattern CHART = Pattern.compile("data-chart=\"([^\"]*)\"");

    @Test
    void theRootOpensTheReleaseList() {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/releases"));
    }

    @Test
    void theListShowsReleasesNewestFirstWithStateVerdictBatchAndWhy() {
        Release intercepted = interceptedRelease();
        String app = newApp(4);
        long completed = releases.plan(plan(app, "2", 10, count(2), count(2))).id();
        tickUntil(completed, r -> r.state() == ReleaseState.COMPLETED, LONG);

        HttpResponse<String> list = get("/releases");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("<title>Releases — Graywatch</title>");
        String text = text(list.body());
        assertThat(text).contains("#" + intercepted.id() + " " + intercepted.app() + " 1 → 3 PAUSED FAIL 2 of 4 intercepted in batch 2 of 4: " + FINDING)
                .contains("#" + completed + " " + app + " 1 → 2 COMPLETED PASS 2 of 2 completed: all 2 batches passed");
        assertThat(text.indexOf("#" + completed + " ")).as("newest first").isLessThan(text.indexOf("#" + intercepted.id() + " "));
        assertThat(list.body()).contains("href=\"/releases/" + intercepted.id() + "\"", "class=\"badge verdict verdict-FAIL\"",
                "class=\"badge state state-PAUSED\"");
    }

    @Test
    void theListFiltersByAppAndByState() {
        Release intercepted = interceptedRelease();
        String other = newApp(2);
        long pending = releases.plan(new ReleasePlanRequest(other, "2", List.of(count(1)), 10, null, false)).id();

        String byApp = text(get("/releases?app=" + other).body());
        assertThat(byApp).contains("#" + pending + " ").doesNotContain("#" + intercepted.id() + " ");
        assertThat(byApp).as("nothing deployed yet").contains("PENDING none yet — planned; waiting to be started");

        String byState = text(get("/releases?state=PAUSED").body());
        assertThat(byState).contains("#" + intercepted.id() + " ").doesNotContain("#" + pending + " ");

        String none = text(get("/releases?app=" + other + "&state=COMPLETED").body());
        assertThat(none).contains("No releases match this filter.");

        HttpResponse<String> badState = get("/releases?state=DONE");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(text(badState.body())).contains("state: 'DONE' is not one of PENDING, RUNNING, PAUSED, COMPLETED, ROLLED_BACK, CLOSED");
        HttpResponse<String> badApp = get("/releases?app=nosuchapp");
        assertThat(badApp.statusCode()).isEqualTo(404);
        assertThat(text(badApp.body())).contains("app 'nosuchapp' not found");
    }

    @Test
    void theListPollsWhileAReleaseRunsAndAnswers204WhileNothingChanged() {
        String app = newApp(4);
        long id = releases.plan(plan(app, "2", 10, count(2), count(2))).id();
        tickFor(Duration.ofSeconds(1));

        String page = get("/releases?app=" + app).body();
        assertThat(page).contains("hx-trigger=\"every 3s\"");
        HttpResponse<String> unchanged = get("/releases/table?app=" + app + "&seen=" + seen(page), HTMX);
        assertThat(unchanged.statusCode()).isEqualTo(204);
        assertThat(unchanged.body()).isEmpty();

        tickFor(Duration.ofSeconds(5));
        HttpResponse<String> changed = get("/releases/table?app=" + app + "&seen=" + seen(page), HTMX);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).as("only the table").startsWith("<section").doesNotContain("<html");
        assertThat(text(changed.body())).contains("#" + id + " " + app + " 1 → 2 RUNNING PASS 1 of 2");

        tickUntil(id, r -> r.state() == ReleaseState.COMPLETED, LONG);
        assertThat(get("/releases?app=" + app).body()).as("nothing runs: no polling").doesNotContain("hx-trigger");
    }

    @Test
    void theReleasePageOfAnInterceptedReleaseShowsWhy() {
        Release r = interceptedRelease();
        String app = r.app();

        HttpResponse<String> page = get("/releases/" + r.id());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Release " + r.id() + ": " + app + " 3 — Graywatch</title>");
        String text = text(page.body());
        assertThat(text).contains(app + " 1 → 3 State PAUSED Verdict FAIL")
                .contains("Intercepted: " + FINDING + " FAIL in batch 2 at " + at(r.batches().get(1).startedAt().plusSeconds(5)) + " UTC");
        assertThat(occurrences(text, "intercepted in batch 2 of 4")).as("the reason is not repeated under the interception").isZero();
        // batches
        assertThat(text).contains("1 pre-release 1: " + app + "-1 PASSED " + at(r.batches().get(0).startedAt()))
                .contains("2 1: " + app + "-2 FAILED " + at(r.batches().get(1).startedAt()))
                .contains("3 2: " + app + "-3, " + app + "-4 PENDING — — none yet");
        // the finding, with its evidence
        assertThat(text).contains("Findings FAIL METRIC error_rate stage: vote " + FINDING)
                .contains("Instances " + app + "-1, " + app + "-2")
                .contains("Metric MIDDLEWARE ERROR_RATE, in percent; bad when it goes up")
                .contains("Evidence releaseMean=4.1 referenceMean=0.3 pValue=0.001 votes=2");
        assertThat(page.body()).contains("class=\"finding severity-FAIL\"").doesNotContain("class=\"log-evidence\"");
        // rounds, newest first: the FAIL round on top, highlighted, then the six PASS rounds of the pre-release batch
        List<String> rows = rows(page.body(), "rounds");
        assertThat(rows).hasSize(7);
        assertThat(rows.get(0)).contains("round-FAIL").contains(FINDING).contains("error_rate");
        assertThat(rows.subList(1, 7)).allSatisfy(row -> assertThat(row).contains("round-PASS", "no metric moved in the bad direction"));
        assertThat(text).contains("Guard scripted 1, 7 rounds")
                .contains("Guarded by a round every 5 s on samples 5 s apart; no warm-up ignored; "
                        + "suspicious in 2 of the last 3 rounds fails; below 90% success fails at once");
        // what a person can do with an intercepted release
        assertThat(buttons(page.body())).containsExactly("resume", "rollback", "close");
        assertThat(page.body()).as("paused: nothing to poll").doesNotContain("hx-trigger");
    }

    @Test
    void theTrendChartShowsTheRecordedSamplesOfBothGroupsWithTheBatchStarts() throws Exception {
        Release r = interceptedRelease();
        String app = r.app();
        JsonNode trend = chart(get("/releases/" + r.id()).body());

        assertThat(trend.get("metric").asText()).isEqualTo("error_rate");
        assertThat(trend.get("unit").asText()).isEqualTo("percent");
        assertThat(trend.get("releaseInstances").asInt()).isEqualTo(2);
        assertThat(trend.get("referenceInstances").asInt()).isEqualTo(6);
        List<String> names = new ArrayList<>();
        trend.get("lines").forEach(l -> names.add(l.get("name").asText()));
        assertThat(names).containsExactly("release group mean", "reference group mean", app + "-1", app + "-2",
                app + "-3", app + "-4", app + "-5", app + "-6", app + "-7", app + "-8");
        List<String> marks = new ArrayList<>();
        trend.get("marks").forEach(m -> marks.add(m.get("label").asText() + "@" + m.get("at").asLong()));
        long batch1 = r.batches().get(1).startedAt().getEpochSecond();
        assertThat(marks).containsExactly("batch 1 (pre-release)@" + r.batches().get(0).startedAt().getEpochSecond(),
                "batch 2@" + batch1, "intercepted@" + (batch1 + 5));

        // the instance line is what the guard read: the recorded samples up to the FAIL round
        JsonNode faulty = trend.get("lines").get(3);
        var recorded = releases.samples(r.id(), "error_rate").series(app + "-2", "error_rate");
        assertThat(faulty.get("times").size()).isEqualTo(recorded.size());
        assertThat(faulty.get("times").get(recorded.size() - 1).asLong()).isBetween(batch1, batch1 + 5);
        assertThat(faulty.get("values").get(recorded.size() - 1).asDouble()).isEqualTo(recorded.value(recorded.size() - 1));
        // before the deploy the release group erred like the reference group; after it, far more
        JsonNode releaseMean = trend.get("lines").get(0), referenceMean = trend.get("lines").get(1);
        int last = releaseMean.get("values").size() - 1;
        assertThat(releaseMean.get("times").get(last).asLong()).isBetween(batch1, batch1 + 5);
        assertThat(releaseMean.get("values").get(last).asDouble()).isGreaterThan(1.5);
        assertThat(releaseMean.get("values").get(0).asDouble()).isBetween(0.1, 0.5);
        assertThat(referenceMean.get("values").get(last).asDouble()).isBetween(0.1, 0.5);
    }

    @Test
    void aLogFindingShowsItsEvidenceItsGroupsCountsAndAFullSample() {
        Release r = interceptedRelease();
        String app = r.app();
        long now = clock.instant().getEpochSecond();
        long switched = r.batches().get(1).startedAt().getEpochSecond();
        String sentence = "new exception java.lang.ClassNotFoundException <com.shop.Cart> on the release group: 42 in 60 s, none on the reference group";
        String stack = "2030-01-01 00:00:40.000 ERROR [exec-1] com.shop.Cart - cart failed\njava.lang.ClassNotFoundException: com.shop.Cart\n"
                + "\tat com.shop.CartLoader.load(CartLoader.java:12)";
        Finding log = new Finding("log:ab12", Finding.Source.LOG, Verdict.FAIL, "ab12", "rule", sentence,
                Map.of("count", 42.0), List.of(app + "-2"));
        Finding gone = new Finding("log:cd34", Finding.Source.LOG, Verdict.WARN, "cd34", "attribution", "warn log \"x\" surged", Map.of(), List.of());
        LogGroup group = new LogGroup("ab12", LogGroup.Kind.EXCEPTION, "ERROR", "java.lang.ClassNotFoundException", null, "t", stack);
        LogData logs = new LogData(Map.of("ab12", group), List.of(new LogCount(switched, app + "-2", "ab12", 40),
                new LogCount(switched + 10, app + "-2", "ab12", 2)), 10);
        GuardInput input = new GuardInput(new ReleaseView(app, "1", "3", now - 60, List.of(), null), now, 5, Map.of(),
                Set.of(app + "-1", app + "-2"), Observations.empty(), logs, GuardConfig.defaults());
        records.save(r.id(), 1, new JudgedRound(input, new RoundResult(now, Verdict.FAIL, sentence, List.of(log, gone), GuardState.initial()),
                "scripted", "1", now - 60));

        String html = get("/releases/" + r.id()).body();

        String card = html.substring(html.indexOf("data-finding=\"log:ab12\""));
        card = card.substring(0, card.indexOf("</article>"));
        assertThat(text(card)).contains("FAIL LOG ab12 stage: rule " + sentence, "Evidence count=42",
                "Exception java.lang.ClassNotFoundException group ab12: 42 events on the release group, 0 on the reference group",
                "One full sample, with its stack trace 2030-01-01 00:00:40.000 ERROR [exec-1] com.shop.Cart - cart failed "
                        + "java.lang.ClassNotFoundException: com.shop.Cart at com.shop.CartLoader.load(CartLoader.java:12)");
        assertThat(card).as("a log group has its own chart").doesNotContain("data-chart=").contains("data-log-chart=", "&lt;com.shop.Cart&gt;");
        assertThat(occurrences(html, "data-chart=")).as("the metric finding keeps its chart").isEqualTo(1);
        String other = html.substring(html.indexOf("data-finding=\"log:cd34\""));
        assertThat(text(other.substring(0, other.indexOf("</article>")))).contains("No log group of this finding was recorded for this release.");
    }

    @Test
    void theButtonsAreTheCommandsTheStateAllows() {
        String app = newApp(4);
        long id = releases.plan(new ReleasePlanRequest(app, "2", List.of(count(2), count(2)), 10, null, false)).id();
        assertThat(buttons(get("/releases/" + id).body())).containsExactly("start", "close");

        releases.start(id, null);
        tickFor(Duration.ofSeconds(1));
        assertThat(buttons(get("/releases/" + id).body())).containsExactly("pause", "rollback", "close");

        tickUntil(id, rel -> rel.state() == ReleaseState.COMPLETED, LONG);
        String completed = get("/releases/" + id).body();
        assertThat(buttons(completed)).containsExactly("rollback");
        assertThat(completed).contains("hx-confirm=\"Roll back release " + id + ": put every instance of " + app + " back on version 1?\"");

        releases.rollBack(id, null);
        assertThat(buttons(get("/releases/" + id).body())).isEmpty();
    }

    @Test
    void aRefusedCommandShowsTheServersMessageAndChangesNothing() {
        Release r = interceptedRelease();

        HttpResponse<String> refused = post("/releases/" + r.id() + "/pause", HTMX);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).as("the page's live part, for htmx to swap in").startsWith("<section id=\"live\"").doesNotContain("<html");
        assertThat(text(refused.body())).contains("Pause refused: release " + r.id() + " is PAUSED: only a RUNNING release can be paused")
                .contains("State PAUSED Verdict FAIL");
        assertThat(releases.get(r.id())).isEqualTo(r);

        HttpResponse<String> plain = post("/releases/" + r.id() + "/start");
        assertThat(plain.statusCode()).isEqualTo(409);
        assertThat(plain.body()).contains("<html");
        assertThat(text(plain.body())).contains("Start refused: release " + r.id() + " is PAUSED: only a PENDING release can be started");
        assertThat(releases.get(r.id())).isEqualTo(r);
    }

    @Test
    void rollingBackFromThePageSwapsInTheRolledBackRelease() {
        Release r = interceptedRelease();

        HttpResponse<String> done = post("/releases/" + r.id() + "/rollback", HTMX);

        assertThat(done.statusCode()).isEqualTo(200);
        String text = text(done.body());
        assertThat(text).contains("State ROLLED_BACK Verdict FAIL", "Intercepted: " + FINDING, "rolled back to 1")
                .doesNotContain("refused");
        assertThat(buttons(done.body())).isEmpty();
        assertThat(fleet.versions(r.app()).values()).containsOnly("1");
        assertThat(releases.get(r.id()).state()).isEqualTo(ReleaseState.ROLLED_BACK);
    }

    @Test
    void aPlainFormPostIsRedirectedToThePage() {
        Release r = interceptedRelease();

        HttpResponse<String> closed = post("/releases/" + r.id() + "/close");

        assertThat(closed.statusCode()).isEqualTo(302);
        assertThat(closed.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/releases/" + r.id()));
        assertThat(releases.get(r.id()).state()).isEqualTo(ReleaseState.CLOSED);
    }

    @Test
    void thePagePollsWhileTheReleaseRunsAndAnswers204WhileNothingChanged() {
        String app = newApp(4);
        long id = releases.plan(plan(app, "2", 30, count(2), count(2))).id();
        tickFor(Duration.ofSeconds(1));

        String page = get("/releases/" + id).body();
        assertThat(page).contains("hx-trigger=\"every 3s\"", "class=\"live-dot\"");
        assertThat(get("/releases/" + id + "/live?seen=" + seen(page), HTMX).statusCode()).isEqualTo(204);

        tickFor(Duration.ofSeconds(5));
        HttpResponse<String> round = get("/releases/" + id + "/live?seen=" + seen(page), HTMX);
        assertThat(round.statusCode()).isEqualTo(200);
        assertThat(round.body()).startsWith("<section id=\"live\"");
        assertThat(text(round.body())).contains("State RUNNING Verdict PASS", "Guard scripted 1, 1 rounds");

        judge.script(app, in -> Verdict.FAIL);
        tickFor(Duration.ofSeconds(5));
        HttpResponse<String> intercepted = get("/releases/" + id + "/live?seen=" + seen(round.body()), HTMX);
        assertThat(text(intercepted.body())).contains("State PAUSED Verdict FAIL", "Intercepted: " + FINDING);
        assertThat(intercepted.body()).as("paused: polling stops").doesNotContain("hx-trigger");
    }

    @Test
    void whatPeopleAndJudgesWroteIsEscaped() {
        String app = newApp(2);
        long id = releases.plan(plan(app, "2", 30, count(1), count(1))).id();
        tickFor(Duration.ofSeconds(1));
        releases.pause(id, "<script>alert('gw')</script>");

        String page = get("/releases/" + id).body();

        assertThat(page).doesNotContain("<script>alert").contains("paused by a person: &lt;script&gt;alert(&#39;gw&#39;)&lt;/script&gt;");
        assertThat(get("/releases?app=" + app).body()).doesNotContain("<script>alert");
    }

    @Test
    void anUnknownReleaseOrCommandIsA404PageNotAStackTrace() {
        HttpResponse<String> missing = get("/releases/987654321");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(text(missing.body())).contains("404 Not Found release 987654321 not found Back to the releases");

        HttpResponse<String> notAnId = get("/releases/latest-one");
        assertThat(notAnId.statusCode()).isEqualTo(404);
        assertThat(text(notAnId.body())).contains("id: 'latest-one' is not a whole number");

        Release r = interceptedRelease();
        HttpResponse<String> noCommand = post("/releases/" + r.id() + "/explode", HTMX);
        assertThat(noCommand.statusCode()).isEqualTo(404);
        assertThat(text(noCommand.body())).contains("there is no command 'explode' for a release: use one of [start, pause, resume, rollback, close]");

        for (HttpResponse<String> page : List.of(missing, notAnId, noCommand)) {
            assertThat(page.body()).contains("<a href=\"/releases\">Releases</a>")
                    .doesNotContain("Whitelabel", "Exception", "at io.graywatch", "at org.springframework");
        }
    }

    @Test
    void theScriptsAndStylesComeFromTheServerItself() {
        String page = get("/releases").body();
        assertThat(page).containsPattern("src=\"/webjars/htmx.org/[0-9.]+/dist/htmx.min.js\"")
                .contains("href=\"/graywatch.css\"", "src=\"/graywatch.js\"");
        assertThat(Pattern.compile("(src|href)=\"(https?:)?//[^\"]*\"").matcher(page).results().map(MatchResult::group))
                .as("nothing is loaded from elsewhere").isEmpty();
        for (String asset : List.of("/webjars/htmx.org/dist/htmx.min.js", "/webjars/echarts/echarts.min.js", "/graywatch.css", "/graywatch.js")) {
            HttpResponse<String> r = get(asset);
            assertThat(r.statusCode()).as(asset).isEqualTo(200);
            assertThat(r.body()).as(asset).hasSizeGreaterThan(1000);
        }
    }

    // ---- helpers

    private static String seen(String html) {
        Matcher m = SEEN.matcher(html);
        if (!m.find()) throw new AssertionError("the page does not poll: " + html);
        return m.group(1);
    }

    /** The commands of the page's buttons, in order. */
    private static List<String> buttons(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("class=\"btn btn-([a-z]+)\"").matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The body rows of the table with the given class. */
    private static List<String> rows(String html, String tableClass) {
        int start = html.indexOf("<table class=\"grid " + tableClass + "\"");
        String table = html.substring(start, html.indexOf("</table>", start));
        String body = table.substring(table.indexOf("<tbody>"));
        List<String> out = new ArrayList<>();
        for (String row : body.split("<tr")) if (row.contains("</tr>")) out.add(row);
        return out;
    }

    private static JsonNode chart(String html) throws Exception {
        Matcher m = CHART.matcher(html);
        if (!m.find()) throw new AssertionError("no chart on the page");
        return new ObjectMapper().readTree(m.group(1).replace("&quot;", "\"").replace("&amp;", "&"));
    }

    private static String at(Instant t) {
        return new Formats().time(t);
    }
}
