package io.graywatch.server.guard;

import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.source.LogSource;
import io.graywatch.core.source.MetricSource;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.scraper.ScrapedMetrics;
import io.graywatch.server.app.GuardSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs one round of a guard: reads the metrics and the logs of every instance from the release's
 * history window up to now, and each instance's process start time since the release started
 * (so the funnel can leave out instances that restarted other than at their switch), and asks the judge. It stores nothing; the orchestrator
 * records the round together with the release's new state.
 */
@Component
public class GuardRunner {
    private static final Logger log = LoggerFactory.getLogger(GuardRunner.class);
    private final Judge judge;
    private final MetricSource metricSource;
    private final ObjectProvider<LogSource> logSource;

    GuardRunner(Judge judge, MetricSource metricSource, ObjectProvider<LogSource> logSource) {
        this.judge = judge;
        this.metricSource = metricSource;
        this.logSource = logSource;
    }

    /**
     * @param release   the batches deployed so far, each at the moment its deploy was done
     * @param instances every instance of the app, release and reference
     * @param now       when the round runs (Unix seconds); it is judged as of the latest moment the metric source's
     *                  samples are final ({@link MetricSource#settledAt}), which is the moment it is recorded at
     */
    public JudgedRound judge(ReleaseView release, List<MetricSpec> metrics, GuardSettings settings, Collection<String> instances,
                             GuardState state, long now) {
        // a sample stamped before the round but stored after it would be in the replay of the recording and not in the round
        now = Math.min(now, metricSource.settledAt(now));
        GuardConfig config = settings.toConfig();
        long step = settings.stepSeconds();
        // the funnel stretches its history for samples coarser than a minute: it must be read
        long from = release.start() - config.forStep(step).historySeconds();
        Set<String> fleet = new TreeSet<>(instances);
        List<MetricSpec> read = withStartTime(metrics);
        Map<String, MetricSpec> byName = new LinkedHashMap<>();
        read.forEach(m -> byName.put(m.name(), m));
        Observations observations;
        try {
            // restarts that matter happen during the release: an instance an earlier release restarted
            // within the history window is no reason to leave it out of this one
            observations = merge(
                    metricSource.fetch(release.app(), fleet, read.stream().filter(m -> !Fleet.isStartTime(m.name())).toList(), from, now, step),
                    metricSource.fetch(release.app(), fleet, read.stream().filter(m -> Fleet.isStartTime(m.name())).toList(),
                            release.start() - step, now, step));
        } catch (RuntimeException e) {
            GuardInput input = new GuardInput(release, now, step, byName, fleet, Observations.empty(), LogData.empty(step), config);
            return new JudgedRound(input, unreadable(release, state, now, e), judge.algorithm(), judge.version(), from);
        }
        LogSource logs = logSource.getIfAvailable();
        LogData logData = logs == null ? LogData.empty(step) : logs.fetch(release.app(), fleet, from, now);
        GuardInput input = new GuardInput(release, now, step, byName, fleet, observations, logData, config);
        RoundResult result = judge.judge(input, state);
        if (result == null || result.verdict() == null || result.state() == null) {
            throw new IllegalStateException("judge " + judge.algorithm() + " " + judge.version() + " returned no verdict or no state");
        }
        return new JudgedRound(input, result, judge.algorithm(), judge.version(), from);
    }

    /**
     * A round whose metrics could not be read (the metric store down, slow, or refusing a query)
     * has no data, so it is INCONCLUSIVE and says why; the vote carries over untouched, as if the
     * round had not been. Like any INCONCLUSIVE round it does not stop the batch by itself, but if
     * the store is still out when the batch's window ends the release pauses with this reason,
     * rather than passing a batch nobody could see.
     */
    private static RoundResult unreadable(ReleaseView release, GuardState state, long now, RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // expected while the store is out, every round: the reason, not a stack trace
        log.warn("guard of {}: no metrics this round: {}", release.app(), why);
        return new RoundResult(now, Verdict.INCONCLUSIVE, "metrics could not be read: " + why, List.of(), state);
    }

    private static Observations merge(Observations a, Observations b) {
        Observations.Builder out = Observations.builder();
        for (Observations o : List.of(a, b)) {
            for (String instance : o.instances()) o.ofInstance(instance).forEach((metric, series) -> out.put(instance, metric, series));
        }
        return out.build();
    }

    /**
     * The app's metrics and the process start time, unless the app names one itself. The start
     * time is in the input's metrics too, as a replay of the recording has it: the funnel reads
     * restarts from it and never judges it as a metric.
     */
    public static List<MetricSpec> withStartTime(List<MetricSpec> metrics) {
        if (metrics.stream().anyMatch(m -> Fleet.isStartTime(m.name()))) return metrics;
        List<MetricSpec> out = new ArrayList<>(metrics);
        out.add(ScrapedMetrics.startTimeSpec());
        return out;
    }
}
