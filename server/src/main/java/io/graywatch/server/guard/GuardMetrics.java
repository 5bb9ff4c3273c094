package io.graywatch.server.guard;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Counts guard rounds by app and verdict on the Prometheus endpoint, so interceptions can be alerted on. */
@Component
class GuardMetrics {
    private final MeterRegistry registry;

    GuardMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @EventListener
    void on(RoundJudged round) {
        registry.counter("graywatch.guard.rounds", "app", round.app(), "verdict", round.verdict().name()).increment();
    }
}
