package io.graywatch.server.replay;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.release.Release;
import io.graywatch.server.testing.Chromium;
import io.graywatch.server.testing.OnH2;
import io.graywatch.server.testing.PageTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The replay pages in a real Chromium: a person starts a replay from the form and reads which verdicts changed. */
@OnH2
class ReplayPageInChromiumTest extends PageTest {

    @Test
    void aReplayStartedFromTheFormShowsTheChangedVerdictBesideTheLiveOne() throws Exception {
        Release r = interceptedRelease();
        judge.script(r.app(), in -> Verdict.PASS);
        List<String> errors = new ArrayList<>();
        try (Chromium chromium = Chromium.launch()) {
            Page page = chromium.browser().newPage();
            page.onPageError(errors::add);
            page.navigate(url("/releases"));
            page.locator("header.top nav a", new Page.LocatorOptions().setHasText("Replays")).click();
            page.locator("select[name=algorithm]").selectOption("graywatch");
            page.locator("select[name=app]").selectOption(r.app());
            page.locator("button", new Page.LocatorOptions().setHasText("Replay its releases")).click();

            // the page polls while the replay runs, then shows the table
            assertThat(page.locator("table.replayed tr.changed")).containsText("#" + r.id(), new LocatorAssertions.ContainsTextOptions().setTimeout(10_000));
            assertThat(page.locator("table.replayed tr.changed")).containsText("FAIL");
            assertThat(page.locator("table.replayed tr.changed")).containsText("PASS");
            assertThat(page.locator(".summary")).containsText("1 with another verdict than the live guard gave");
            Path shot = Paths.get("target", "ui-screenshots", "replay-changed.png");
            Files.createDirectories(shot.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));

            page.locator("table.replayed a", new Page.LocatorOptions().setHasText("#" + r.id())).click();
            assertThat(page.locator("body")).containsText("Intercepted");
        }
        assertThat(errors).isEmpty();
    }
}
