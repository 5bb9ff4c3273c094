package io.graywatch.server.replay;

import io.graywatch.server.guard.GuardRecords;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ReplayConfig {

    /** A release's log events are the log groups and counts its guard rounds recorded. */
    @Bean
    RecordedLogs recordedLogs(GuardRecords records) {
        return release -> RecordedLogs.events(records.logGroups(release.id()), records.logCounts(release.id()),
                records.roundMoments(release.id()));
    }
}
