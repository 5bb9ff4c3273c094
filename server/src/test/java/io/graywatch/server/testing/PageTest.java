package io.graywatch.server.testing;

import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.server.app.AppRequest;
import io.graywatch.server.release.Release;
import io.graywatch.server.release.ReleaseState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;

/**
 * Base of the UI's tests: the server of {@link ServerTest}, a way to make a release that the guard
 * intercepted, with recorded samples to chart, and plain HTTP to read the pages as a browser gets them.
 */
public abstract class PageTest extends ServerTest {
    protected static final String FINDING = "error rate 4.1% on the release group vs 0.3% on the reference group";
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * An app of 8 instances whose release of version 3 (batches: pre-release 1, 1, 25%, 50%) was
     * intercepted in its first traffic batch: the scripted judge fails that batch's first round
     * with an error-rate finding, and the recorded error rates of that batch's instance rise after
     * its deploy, while the other instances stay at their normal noisy level.
     */
    protected Release interceptedRelease() {
        String app = appWithRecordedErrorRates();
        judge.failFromBatch(app, 1);
        long id = releaseVersion3(app);
        Release paused = tickUntil(id, r -> r.state() != ReleaseState.RUNNING, Duration.ofMinutes(5));
        if (paused.state() != ReleaseState.PAUSED) throw new AssertionError("the release was not intercepted: " + paused);
        return paused;
    }

    /** Plans and starts version 3 of the app in batches of the demo: pre-release 1, 1, 25%, 50%, each observed for 30 s. */
    protected long releaseVersion3(String app) {
        return releases.plan(plan(app, "3", 30, preRelease(1), count(1), share(50), share(100))).id();
    }

    /**
     * A new app with 8 instances on version 1, guarded every 5 s with 3 minutes of history, whose
     * error rates are recorded from that history on. The instance of the first traffic batch
     * ({@code <app>-2}, deployed 30 s after the release starts now) errs more from then on.
     */
    protected String appWithRecordedErrorRates() {
        String app = "ui" + System.nanoTime() % 1_000_000;
        fleet.add(app, 8, "1");
        apps.create(new AppRequest(app, null, new AppRequest.Guard(5, 5, 0L, 180L, null, null, null), null));
        long start = clock.instant().getEpochSecond();
        long faultyFrom = start + 31;
        Random noise = new Random(7);
        Observations.Builder b = Observations.builder();
        for (int i = 1; i <= 8; i++) {
            String instance = app + "-" + i;
            int n = (int) ((600 + 180) / 5);
            long[] times = new long[n];
            double[] values = new double[n];
            for (int k = 0; k < n; k++) {
                times[k] = start - 180 + 5L * k;
                boolean faulty = i == 2 && times[k] >= faultyFrom;
                values[k] = (faulty ? 4.1 : 0.3) + noise.nextGaussian() * (faulty ? 0.4 : 0.06);
            }
            b.put(instance, "error_rate", Series.of(times, values));
        }
        metrics.put(app, b.build());
        return app;
    }

    protected String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    protected HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET(), headers);
    }

    protected HttpResponse<String> post(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.noBody()), headers);
    }

    /** The header htmx sends with its requests. */
    protected static final String[] HTMX = {"HX-Request", "true"};

    private HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        request.header("Accept", "text/html");
        if (headers.length > 0) request.headers(headers);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a person reads: the page's text without markup, entities decoded, white space collapsed. */
    protected static String text(String html) {
        String body = html.replaceAll("(?s)<script.*?</script>|<!--.*?-->", " ").replaceAll("<[^>]+>", " ");
        return body.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
                .replaceAll("\\s+", " ").trim();
    }

    /** The number of non-overlapping occurrences of a string. */
    protected static int occurrences(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) n++;
        return n;
    }
}
