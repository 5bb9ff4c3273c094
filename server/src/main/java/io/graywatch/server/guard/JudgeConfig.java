package io.graywatch.server.guard;

import io.graywatch.core.funnel.GraywatchJudge;
import io.graywatch.core.guard.FindingDetector;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.logs.LogDetector;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/** Live guards judge with the detection funnel, consulting every signal family the server offers. */
@Configuration(proxyBeanMethods = false)
class JudgeConfig {

    @Bean
    @ConditionalOnMissingBean(Judge.class)
    Judge graywatchJudge(List<FindingDetector> detectors) {
        return new GraywatchJudge(detectors);
    }

    /** Log findings: groups new in the release group, and surges against the reference group and history; as replay judges. */
    @Bean
    FindingDetector logDetector() {
        return new LogDetector();
    }
}
