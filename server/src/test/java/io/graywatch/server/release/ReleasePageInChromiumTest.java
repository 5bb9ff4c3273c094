package io.graywatch.server.release;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Dialog;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.graywatch.agent.ship.Shipment;
import io.graywatch.core.logs.LogDetector;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.testing.Chromium;
import io.graywatch.server.testing.Http;
import io.graywatch.server.testing.OnH2;
import io.graywatch.server.testing.PageTest;
import io.graywatch.server.testing.TestFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The release pages in a real Chromium: what a person sees and what the buttons do. */
@OnH2
class ReleasePageInChromiumTest extends PageTest {
    private static final Path SCREENSHOTS = Paths.get("target", "ui-screenshots");
    /** The page polls every 3 s: give it two polls to show a change. */
    private static final LocatorAssertions.ContainsTextOptions TWO_POLLS = new LocatorAssertions.ContainsTextOptions().setTimeout(8000);

    private static Chromium chromium;
    private static Browser browser;

    private BrowserContext context;
    private Page page;
    private final List<String> browserErrors = new ArrayList<>();

    @BeforeAll
    static void launchChromium() {
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) chromium.close();
    }

    @BeforeEach
    void openPage() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        page = context.newPage();
        page.onPageError(browserErrors::add);
        // a response of 400 or more is listed with its URL below; the console's own line about it says less
        page.onConsoleMessage(m -> {
            if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) browserErrors.add(m.text());
        });
        page.onResponse(r -> {
            if (r.status() >= 400) browserErrors.add(r.status() + " " + r.request().method() + " " + r.url());
        });
        page.onRequestFailed(r -> browserErrors.add("request failed: " + r.url()));
    }

    @AfterEach
    void closePage() {
        context.close();
        assertThat(browserErrors).as("errors in the browser").isEmpty();
    }

    @Test
    void aPersonSeesWhyTheReleaseWasInterceptedAndRollsItBack() {
        Release r = interceptedRelease();

        page.navigate(url("/releases"));
        assertThat(page).hasTitle("Releases — Graywatch");
        screenshot("releases.png");
        Locator row = page.locator("tr[data-release='" + r.id() + "']");
        assertThat(row.locator(".verdict")).hasText("FAIL");
        assertThat(row).containsText("2 of 4");
        row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("#" + r.id())).click();

        page.waitForURL("**/releases/" + r.id());
        assertThat(page).hasTitle("Release " + r.id() + ": " + r.app() + " 3 — Graywatch");
        assertThat(page.locator(".release-head .state")).hasText("PAUSED");
        assertThat(page.locator(".release-head .verdict")).hasText("FAIL");
        assertThat(page.locator(".interception")).containsText("Intercepted: " + FINDING);
        assertThat(page.locator("article.finding .reason")).hasText(FINDING);
        assertThat(page.locator("article.finding")).containsText("releaseMean=4.1");
        assertThat(page.locator("table.rounds tbody tr").first()).hasClass("round-FAIL");
        Locator canvas = page.locator("figure.trend canvas");
        assertThat(canvas).isVisible();
        assertThat(drawnPixels(canvas)).as("the chart is drawn, not an empty canvas").isGreaterThan(2000);
        screenshot("release.png");

        page.onDialog(Dialog::accept);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Roll back")).click();

        assertThat(page.locator(".release-head .state")).hasText("ROLLED_BACK");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Roll back"))).hasCount(0);
        assertThat(page.locator(".status")).hasText("rolled back to 1");
        assertThat(page.locator(".interception")).containsText("Intercepted: " + FINDING);
        assertThat(drawnPixels(page.locator("figure.trend canvas"))).as("the chart is drawn again after the swap").isGreaterThan(2000);
        assertThat(page).hasURL(url("/releases/" + r.id()));
        assertThat(fleet.versions(r.app()).values()).containsOnly("1");
        screenshot("release-rolled-back.png");
    }

    @Test
    void aLogFindingShowsItsCountsOverTimeAndAFullSampleStack() {
        String app = appWithRecordedErrorRates();
        long start = clock.instant().getEpochSecond();
        // a round sees a log bucket once it has ended: fail only after the bucket with the new exception has
        judge.script(app, in -> in.release().currentBatch(in.now()).index() >= 1 && in.now() >= start + 60 ? Verdict.FAIL : Verdict.PASS);
        judge.alsoReport(app, new LogDetector(LogDetector.Config.defaults().withDangerousAsRule(true))); // no rule stage in a scripted judge
        // the instance of the first traffic batch (deployed 30 s after the release starts) cannot load a class, logged in a
        // bucket that starts after that deploy whatever the clock's second (a bucket the switch falls in counts as before it);
        // a flaky timeout is everywhere, before and after
        Http http = new Http(port);
        for (int i = 1; i <= 8; i++) {
            String instance = app + "-" + i;
            List<Shipment.Group> groups = new ArrayList<>();
            List<Shipment.Count> timeouts = new ArrayList<>();
            for (long t = start - 170; t < start + 40; t += 30) timeouts.add(new Shipment.Count(t / 10 * 10, 1));
            groups.add(new Shipment.Group("timeout", LogGroup.Kind.TEMPLATE, "WARN", null, null, "timeout after <*> ms calling <*>", timeouts,
                    start - 170, start + 40, List.of("2030-01-01 00:00:01.000 WARN  [exec-1] c.e.shop.Inventory - timeout after 3000 ms calling 10.0.0.7")));
            if (i == 2) {
                groups.add(new Shipment.Group("cnfe", LogGroup.Kind.EXCEPTION, "ERROR", "java.lang.ClassNotFoundException",
                        "java.lang.ClassNotFoundException", "java.lang.ClassNotFoundException @ com.example.shop.pricing.RuleLoader.load",
                        List.of(new Shipment.Count((start + 45) / 10 * 10, 6)), start + 46, start + 48, List.of(CNFE)));
            }
            Shipment s = new Shipment(Shipment.FORMAT, instance + "-1", app, instance, "0.1.0", 1, 1, start, 10, groups,
                    new Shipment.Stats(1000, 10, 900, 0, 0, 100_000, 1), Shipment.Dropped.NONE);
            assertThat(http.postWithToken(Shipment.PATH, s.toJson(), TestFixtures.AGENT_TOKEN).status()).isEqualTo(200);
        }
        long id = releaseVersion3(app);
        Release r = tickUntil(id, x -> x.state() != ReleaseState.RUNNING, Duration.ofMinutes(5));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);

        page.navigate(url("/releases/" + id));
        Locator finding = page.locator("article.finding[data-finding^='log:']");
        assertThat(finding.locator(".reason")).containsText("new exception java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule");
        Locator evidence = finding.locator(".log-evidence");
        assertThat(evidence).containsText("6 events on the release group, 0 on the reference group");
        assertThat(evidence.locator("pre.stack")).isVisible();
        assertThat(evidence.locator("pre.stack")).containsText("Caused by: java.util.zip.ZipException: invalid LOC header");
        assertThat(evidence.locator("pre.stack")).containsText("at com.example.shop.pricing.RuleLoader.load(RuleLoader.java:44)");
        Locator canvas = evidence.locator("figure.trend canvas");
        assertThat(canvas).isVisible();
        assertThat(drawnPixels(canvas)).as("the counts are drawn, not an empty canvas").isGreaterThan(1000);
        evidence.scrollIntoViewIfNeeded();
        screenshot("release-log-finding.png");
    }

    private static final String CNFE = """
            2030-01-01 00:00:33.120 ERROR [http-nio-8080-exec-7] com.example.shop.OrderService - could not price the order
            java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule
            \tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)
            \tat com.example.shop.pricing.RuleLoader.load(RuleLoader.java:44)
            \tat com.example.shop.pricing.PricingService.price(PricingService.java:87)
            Caused by: java.util.zip.ZipException: invalid LOC header (bad signature)
            \tat java.base/java.util.zip.ZipFile$ZipFileInputStream.initDataOffset(ZipFile.java:1035)
            \t... 3 more""";

    @Test
    void aCommandThatAChangeMeanwhileMadeInvalidShowsTheServersMessage() {
        Release r = interceptedRelease();
        page.navigate(url("/releases/" + r.id()));
        assertThat(page.locator(".release-head .state")).hasText("PAUSED");

        releases.close(r.id(), "closed from the API meanwhile");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume")).click();

        assertThat(page.locator(".alert")).hasText("Resume refused: release " + r.id() + " is CLOSED: only a PAUSED release can be resumed");
        assertThat(page.locator(".release-head .state")).hasText("CLOSED");
        assertThat(page.getByRole(AriaRole.BUTTON)).hasCount(0);
        assertThat(page.locator("#flash")).isHidden();
        assertThat(browserErrors).containsExactly("409 POST " + url("/releases/" + r.id() + "/resume"));
        browserErrors.clear();
    }

    @Test
    void thePageFollowsARunningReleaseUntilTheGuardInterceptsIt() {
        String app = appWithRecordedErrorRates();
        long id = releaseVersion3(app);
        tickFor(Duration.ofSeconds(6));

        page.navigate(url("/releases/" + id));
        assertThat(page.locator(".release-head .state")).hasText("RUNNING");
        assertThat(page.locator(".live-dot")).isVisible();
        assertThat(page.getByRole(AriaRole.BUTTON)).hasText(new String[]{"Pause", "Roll back", "Close"});

        judge.script(app, in -> Verdict.FAIL);
        tickFor(Duration.ofSeconds(5));

        assertThat(page.locator(".interception")).containsText("Intercepted: " + FINDING, TWO_POLLS);
        assertThat(page.locator(".release-head .state")).hasText("PAUSED");
        assertThat(page.locator(".live-dot")).hasCount(0);
        assertThat(drawnPixels(page.locator("figure.trend canvas"))).isGreaterThan(2000);
    }

    @Test
    void theListFollowsTheReleasesWhileOneRuns() {
        String app = appWithRecordedErrorRates();
        long id = releaseVersion3(app);
        tickFor(Duration.ofSeconds(1));

        page.navigate(url("/releases?app=" + app));
        Locator row = page.locator("tr[data-release='" + id + "']");
        assertThat(row.locator(".state")).hasText("RUNNING");
        assertThat(row.locator(".verdict")).hasText("none yet");

        judge.failFromBatch(app, 1);
        tickUntil(id, rel -> rel.state() == ReleaseState.PAUSED, Duration.ofMinutes(2));

        assertThat(row.locator(".verdict")).containsText("FAIL", TWO_POLLS);
        assertThat(row.locator(".state")).hasText("PAUSED");
        assertThat(row).containsText("2 of 4");
    }

    @Test
    void theNavigationLeadsToTheAppsAndTheApiDocs() {
        String app = appWithRecordedErrorRates();
        page.navigate(url("/"));
        assertThat(page).hasURL(url("/releases"));

        page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Apps")).click();
        assertThat(page).hasTitle("Apps — Graywatch");
        Locator card = page.locator("#app-" + app);
        assertThat(card.locator("h2")).hasText(app);
        assertThat(card.locator("tbody tr")).hasCount(6);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("API docs"))).hasAttribute("href", "/swagger-ui.html");
        card.screenshot(new Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("app.png")));

        card.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("its releases")).click();
        assertThat(page).hasURL(url("/releases?app=" + app));
        assertThat(page.locator("select[name=app]")).hasValue(app);
        assertThat(page.locator("#release-table")).containsText("No releases match this filter.");
    }

    /** Pixels of the canvas that are not transparent: what the chart drew. */
    private static int drawnPixels(Locator canvas) {
        return ((Number) canvas.first().evaluate("""
                c => {
                  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0;
                  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
                  return n;
                }""")).intValue();
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)).setFullPage(true));
    }
}
