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
        Duration least = leastObservation(analysisInterval, warmup);
        // the round that ends a batch's window decides it, and an INCONCLUSIVE one pauses the release: with a window that
        // left room for one judgeable round, a round that fell a grid cell short paused the healthy release now and then
        if (observation.compareTo(least) < 0)
            throw new IllegalArgumentException("graywatch.demo.observation must be at least " + least.toSeconds()
                    + " s with a " + warmup.toSeconds() + " s warm-up and a round every " + analysisInterval.toSeconds()
                    + " s (the warm-up, " + GuardConfig.defaults().minSamples() + " samples a round apart, and two rounds more), got "
                    + observation.toSeconds() + " s");
    }

    /** The warm-up, the guard's fewest samples on the rounds' grid, and two rounds more. */
    static Duration leastObservation(Duration analysisInterval, Duration warmup) {
        return warmup.plus(analysisInterval.multipliedBy(GuardConfig.defaults().minSamples() + 2L));
    }
}
