package io.graywatch.server.demo;

import io.graywatch.core.guard.GuardConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The demo's timing. The defaults fit the whole story (a healthy release through five batches of twelve instances and
 * a faulty one intercepted) in about four minutes; tests shorten them.
 *
 * @param instances          size of the simulated fleet
 * @param observation        how long each batch is observed: long enough for two rounds after the batch's first judgeable one
 * @param analysisInterval   a guard round every this long
 * @param history            how long the fleet runs before the first release, so the guard has a past to compare with
 * @param warmup             samples this long after an instance switches version are ignored
 */
@ConfigurationProperties("graywatch.demo")
public record DemoSettings(boolean enabled, int instances, Duration observation, Duration analysisInterval,
                           Duration history, Duration warmup) {
    public DemoSettings {
        if (instances == 0) instances = 12;
        if (observation == null) observation = Duration.ofSeconds(30);
        if (analysisInterval == null) analysisInterval = Duration.ofSeconds(4);
        if (history == null) history = Duration.ofSeconds(40);
        if (warmup == null) warmup = Duration.ofSeconds(8);
        // pre-release 1, then 1, 25%, 50%, 100%: each batch must add at least one instance
        if (instances < 12) throw new IllegalArgumentException("graywatch.demo.instances must be at least 12, got " + instances);
    }

    /**
     * The shortest window that leaves two rounds after a batch's first judgeable one: the warm-up, the guard's fewest
     * samples on its grid (a sample a round, or a scrape when scrapes are further apart), and two rounds more. The round
     * that ends a window decides the batch and an INCONCLUSIVE one pauses the release: with room for a single judgeable
     * round, one that fell a grid cell short paused the healthy release now and then.
     */
    public Duration leastObservation(Duration scrapeInterval) {
        // the app the demo onboards samples at the scrape interval, in whole seconds, and rounds at the analysis interval
        long round = analysisInterval.toSeconds();
        GuardConfig guard = GuardConfig.defaults().withRoundSeconds(round);
        long grid = guard.gridSeconds(Math.max(1, scrapeInterval.toSeconds()));
        return warmup.plusSeconds(grid * guard.minSamples() + 2 * round);
    }
}
