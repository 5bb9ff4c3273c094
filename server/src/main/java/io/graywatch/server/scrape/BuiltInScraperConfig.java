package io.graywatch.server.scrape;

import io.graywatch.core.release.Instance;
import io.graywatch.core.source.MetricSource;
import io.graywatch.scraper.ScrapingMetricSource;
import io.graywatch.server.ApiException;
import io.graywatch.server.app.App;
import io.graywatch.server.app.AppService;
import io.graywatch.server.metrics.MetricSourceConfig;
import io.graywatch.server.release.ReleaseExecutors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The zero-setup metric source: scrape every onboarded app's instances, found through the app's
 * release executor, so that a guard has the history it compares against before a release starts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = MetricSourceConfig.SOURCE, havingValue = "builtin", matchIfMissing = true)
class BuiltInScraperConfig {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(MetricSource.class)
    ScrapingMetricSource builtInScraper(@Lazy AppService apps, @Lazy ReleaseExecutors executors, Clock clock,
                                        @Value("${graywatch.scraper.interval:15s}") Duration interval,
                                        @Value("${graywatch.scraper.retention:6h}") Duration retention) {
        ScrapingMetricSource scraper = ScrapingMetricSource.builder(app -> targets(apps, executors, app))
                .interval(interval).retention(retention).clock(clock).build();
        scraper.start();
        return scraper;
    }

    private static List<Instance> targets(AppService apps, ReleaseExecutors executors, String name) {
        try {
            App app = apps.get(name);
            return executors.forApp(app).instances(name);
        } catch (ApiException e) {
            // An app without a usable executor has no targets yet; its onboarding says why.
            return List.of();
        }
    }

    /** Follows the onboarded apps, so a new app is scraped from its first minute. */
    @Configuration(proxyBeanMethods = false)
    static class FollowApps {
        private final AppService apps;
        private final List<ScrapingMetricSource> scrapers;

        FollowApps(AppService apps, List<ScrapingMetricSource> scrapers) {
            this.apps = apps;
            this.scrapers = scrapers;
        }

        @Scheduled(fixedDelayString = "${graywatch.scraper.follow-apps-millis:2000}", initialDelay = 0)
        void follow() {
            for (ScrapingMetricSource scraper : scrapers) {
                apps.list().forEach(app -> scraper.watch(app.name()));
            }
        }
    }
}
