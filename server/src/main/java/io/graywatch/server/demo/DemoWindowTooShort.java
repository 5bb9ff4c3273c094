package io.graywatch.server.demo;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The demo's batch window leaves no room for two judging rounds: a setting to fix, so the start-up says which, without a stack trace. */
final class DemoWindowTooShort extends IllegalArgumentException {
    DemoWindowTooShort(String message) {
        super(message);
    }

    static final class Analyzer extends AbstractFailureAnalyzer<DemoWindowTooShort> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, DemoWindowTooShort cause) {
            return new FailureAnalysis(cause.getMessage(),
                    "Lengthen --graywatch.demo.observation, or shorten --graywatch.demo.analysis-interval or --scrape-interval.", cause);
        }
    }
}
