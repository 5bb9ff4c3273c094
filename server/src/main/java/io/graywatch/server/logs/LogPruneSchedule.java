package io.graywatch.server.logs;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** Prunes shipped logs every {@code graywatch.logs.prune-interval-millis} (a minute); off with {@code graywatch.logs.prune-scheduled=false} (tests prune by hand). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "graywatch.logs.prune-scheduled", havingValue = "true", matchIfMissing = true)
class LogPruneSchedule {
    private final LogRetention retention;

    LogPruneSchedule(LogRetention retention) {
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "${graywatch.logs.prune-interval-millis:60000}", initialDelayString = "${graywatch.logs.prune-interval-millis:60000}")
    void prune() {
        retention.prune();
    }
}
