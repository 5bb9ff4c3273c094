package io.graywatch.server.release;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;

/** Ticks the orchestrator with the server's clock; off with {@code graywatch.orchestrator.scheduled=false} (tests tick by hand). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "graywatch.orchestrator.scheduled", havingValue = "true", matchIfMissing = true)
class OrchestratorSchedule {
    private final ReleaseOrchestrator orchestrator;
    private final Clock clock;

    OrchestratorSchedule(ReleaseOrchestrator orchestrator, Clock clock) {
        this.orchestrator = orchestrator;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${graywatch.orchestrator.tick-millis:1000}")
    void tick() {
        orchestrator.tick(clock.instant());
    }
}
