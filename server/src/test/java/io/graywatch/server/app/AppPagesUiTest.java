package io.graywatch.server.app;

import io.graywatch.server.testing.OnH2;
import io.graywatch.server.testing.PageTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The apps page over real HTTP. */
@OnH2
class AppPagesUiTest extends PageTest {

    @Test
    void eachAppIsShownWithItsMetricsAndGuardSettings() {
        String app = newApp(3);

        HttpResponse<String> page = get("/apps");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Apps — Graywatch</title>", "href=\"/releases?app=" + app + "\"");
        String text = text(section(page.body(), app));
        assertThat(text).contains(app + " its releases Executor the server's only executor")
                .contains("error_rate MIDDLEWARE ERROR_RATE up percent 50% of its normal level and 0.5 percentage points")
                .contains("qps MIDDLEWARE TRAFFIC down rps 30% of its normal level")
                .contains("cpu_percent BASIC RESOURCE up percent 15% of its normal level and 2 percentage points")
                .contains("A round every 5 s Sample step 5 s Warm-up ignored 10 s History read 10 min")
                .contains("Vote suspicious in 2 of the last 3 rounds fails")
                .contains("Success-rate floor below 90% success fails at once");
    }

    @Test
    void anAppsOwnSuccessRateFloorIsShown() {
        String app = "floor" + System.nanoTime() % 1_000_000;
        apps.create(new AppRequest(app, null, new AppRequest.Guard(null, null, null, null, null, null, null, 99.5), null));

        assertThat(text(section(get("/apps").body(), app))).contains("Success-rate floor below 99.5% success fails at once");
    }

    @Test
    void namesAppsAndPeopleChoseAreEscaped() {
        String app = "esc" + System.nanoTime() % 1_000_000;
        apps.create(new AppRequest(app, List.of(new AppRequest.MetricRequest("<img src=x onerror=alert(1)>", "business", "decrease",
                "<b>orders</b>", "other", null, null)), new AppRequest.Guard(null, null, null, null, null, null,
                List.of("<script>alert(2)</script>")), null));

        String html = get("/apps").body();

        assertThat(html).doesNotContain("<img src=x", "<b>orders", "<script>alert")
                .contains("&lt;img src=x onerror=alert(1)&gt;", "&lt;b&gt;orders&lt;/b&gt;", "&lt;script&gt;alert(2)&lt;/script&gt;");
        assertThat(text(section(html, app))).contains("BUSINESS OTHER down <b>orders</b>")
                .contains("Dangerous exceptions <script>alert(2)</script>");
    }

    private static String section(String html, String app) {
        int start = html.indexOf("id=\"app-" + app + "\"");
        return html.substring(start, html.indexOf("</article>", start));
    }
}
