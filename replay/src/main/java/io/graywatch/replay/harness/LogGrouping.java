package io.graywatch.replay.harness;

import io.graywatch.core.logs.LogGroup;
import io.graywatch.replay.corpus.LogEvent;

/**
 * Decides which group a log event belongs to (exception fingerprint or error template): the one
 * seam between replay and log grouping; {@link FingerprintLogGrouping} is the agent's own.
 * Implementations must be deterministic; one instance serves one case, so it may learn
 * templates as events arrive in time order.
 */
public interface LogGrouping {
    LogGroup groupOf(LogEvent event);
}
