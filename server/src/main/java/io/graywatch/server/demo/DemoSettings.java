package io.graywatch.server.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The demo's timing. The defaults fit the whole story (a healthy release through five batches of twelve instances and
 * a faulty one intercepted) in about four minutes; tests shorten them.
 *
 * @param instances          size of the simulated fleet
 * @param observation        how long each batch is observed
 * @param analysisInterval   a guard round every this long
 * @param history            how long the fleet runs before the first release, so the guard has a past to compare with
 * @param warmup             samples this long after an instance switches version are ignored
 */
@ConfigurationProperties("graywatch.demo")
public record DemoSettings(boolean enabled, int instances, Duration observation, Duration analysisInterval,
                           Duration history, Duration warmup) {
    public DemoSettings {
        if (instances == 0) instances = 12;
        if (observation == null) observation = Duration.ofSeconds(25);
        if (analysisInterval == null) analysisInterval = Duration.ofSeconds(5);
        if (history == null) history = Duration.ofSeconds(40);
        if (warmup == null) warmup = Duration.ofSeconds(8);
        // pre-release 1, then 1, 25%, 50%, 100%: each batch must add at least one instance
        if (instances < 12) throw new IllegalArgumentException("graywatch.demo.instances must be at least 12, got " + instances);
    }
}
