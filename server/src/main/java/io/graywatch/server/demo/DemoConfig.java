package io.graywatch.server.demo;

import io.graywatch.core.release.ReleaseExecutor;
import io.graywatch.simulator.executor.SimulatorExecutor;
import io.graywatch.simulator.fault.ShopFaults;
import io.graywatch.simulator.fault.VersionProfile;
import io.graywatch.simulator.fleet.SimulatedFleet;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's world: a simulated fleet of the sample shop on this host, released through the
 * simulator's executor. v2 is healthy; v3 fails more requests and cannot load a class its jar
 * lost, as a badly packaged release does.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "graywatch.demo.enabled", havingValue = "true")
@EnableConfigurationProperties(DemoSettings.class)
class DemoConfig {
    static final String APP = "shop";

    @Bean(destroyMethod = "close")
    SimulatedFleet demoFleet(DemoSettings settings, @Value("${graywatch.data-dir}") Path dataDir) throws IOException {
        Path logDir = Files.createDirectories(dataDir.resolve("demo-logs"));
        return SimulatedFleet.builder(APP)
                .instances(settings.instances())
                .logDir(logDir)
                .fleetRequestsPerSecond(60.0 * settings.instances())
                // a calm stretch of the real ELB series: the demo shows a release, not a traffic storm
                .nabSmoothingPoints(3)
                .version(VersionProfile.healthy("v2"))
                .version(VersionProfile.builder("v3")
                        .extraErrorPercent(6)
                        .exception(ShopFaults.classNotFound("com.example.shop.pricing.DiscountRule", 0.5))
                        .build())
                .build()
                .start();
    }

    @Bean
    ReleaseExecutor simulatorExecutor(SimulatedFleet fleet) {
        return new SimulatorExecutor(fleet);
    }
}
