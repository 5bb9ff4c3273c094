package io.graywatch.server.release;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.server.app.GuardSettings;
import io.graywatch.server.guard.FindingSummary;
import io.graywatch.server.guard.GuardRound;
import io.graywatch.server.guard.LogGroupTrend;
import io.graywatch.server.guard.MetricTrend;

import java.util.List;

/**
 * What the release page shows.
 *
 * @param rounds       the newest rounds first, at most {@link #ROUNDS_SHOWN}
 * @param roundCount   how many rounds the guard ran in all
 * @param interception the FAIL round that paused the release, while FAIL is its verdict; null otherwise
 * @param commands     the buttons: what the release's state allows
 * @param token        see {@link io.graywatch.server.ui.Freshness}
 * @param guard        the settings the release is guarded by: the app's, as they were when it was planned
 */
public record ReleasePage(Release release, List<GuardRound> rounds, int roundCount, GuardRound interception,
                          List<FindingCard> findings, List<ReleaseCommand> commands, String token, GuardSettings guard) {
    public static final int ROUNDS_SHOWN = 100;
    /** Key prefix of the funnel's dangerous-exception rule findings; the subject is the exception type. */
    public static final String EXCEPTION_RULE = "rule:exception:";

    public ReleasePage {
        rounds = List.copyOf(rounds);
        findings = List.copyOf(findings);
        commands = List.copyOf(commands);
    }

    /** While it runs, the page polls for news. */
    public boolean live() {
        return release.state() == ReleaseState.RUNNING;
    }

    /**
     * The release's reason, unless it only repeats the interception shown above it: the
     * orchestrator words it "intercepted in batch N: " and the FAIL round's reason.
     */
    public String status() {
        String reason = release.reason();
        boolean repeats = interception != null && release.state() == ReleaseState.PAUSED && reason != null
                && reason.endsWith(": " + interception.reason());
        return repeats ? null : reason;
    }

    /** The algorithm of the latest round, e.g. "funnel 3". */
    public String algorithm() {
        return rounds.isEmpty() ? null : rounds.get(0).algorithm() + " " + rounds.get(0).algorithmVersion();
    }

    /**
     * One finding with what the page draws for it.
     *
     * @param metric   the metric's spec when the finding is about a metric the release is guarded by, else null
     * @param trend    the metric's recorded samples, null when the finding is not about a metric or none were recorded
     * @param chart    the trend as JSON for the chart script
     * @param log      the log group a log finding (or an exception rule) is about, as the guard read it; else null
     * @param logChart its counts over time as JSON for the chart script
     */
    public record FindingCard(FindingSummary summary, MetricSpec metric, MetricTrend trend, String chart, LogGroupTrend log, String logChart) {
        public FindingCard(FindingSummary summary, MetricSpec metric, MetricTrend trend, String chart) {
            this(summary, metric, trend, chart, null, null);
        }

        /** Whether the finding is about logs: a log group, or a rule on exception types. */
        public boolean aboutLogs() {
            Finding f = summary.finding();
            return f.source() == Finding.Source.LOG || f.key().startsWith(EXCEPTION_RULE);
        }

        public Finding finding() {
            return summary.finding();
        }
    }
}
