package io.graywatch.server.demo;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.guard.RoundJudged;
import io.graywatch.server.release.BatchJudged;
import io.graywatch.server.release.BatchStarted;
import io.graywatch.server.release.ReleaseStateChanged;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Tells the demo's story on the terminal: a line per batch, per guard round and per state change. */
@Component
@ConditionalOnProperty(name = "graywatch.demo.enabled", havingValue = "true")
class DemoProgress {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final PrintStream out = System.out;

    @EventListener
    void batchStarted(BatchStarted e) {
        line(e.releaseId(), e.version(), "batch %d/%d%s deployed to %s", e.batchIndex() + 1, e.batchCount(),
                e.preRelease() ? " (pre-release, no users)" : "", String.join(", ", e.instances()));
    }

    @EventListener
    void roundJudged(RoundJudged e) {
        String findings = e.findings().isEmpty() ? "" : " [" + e.findings().size() + " finding" + (e.findings().size() == 1 ? "" : "s") + ": "
                + e.findings().stream().map(Finding::subject).distinct().reduce((a, b) -> a + ", " + b).orElse("") + "]";
        line(e.releaseId(), e.version(), "  round in batch %d: %s%s%s", e.batchIndex() + 1, e.verdict(),
                e.verdict() == Verdict.PASS ? "" : " - " + e.reason(), findings);
    }

    @EventListener
    void batchJudged(BatchJudged e) {
        line(e.releaseId(), e.version(), "batch %d verdict %s%s", e.batchIndex() + 1, e.verdict(),
                e.passed() ? "" : " - " + e.reason());
    }

    @EventListener
    void stateChanged(ReleaseStateChanged e) {
        if (e.from() == null) {
            line(e.releaseId(), e.version(), "planned for app %s", e.app());
        } else {
            line(e.releaseId(), e.version(), "%s -> %s (%s)", e.from(), e.to(), e.reason());
        }
    }

    private void line(long release, String version, String format, Object... args) {
        out.printf("%s release %d %s: %s%n", LocalTime.now(ZoneId.systemDefault()).format(TIME), release, version, String.format(format, args));
    }
}
