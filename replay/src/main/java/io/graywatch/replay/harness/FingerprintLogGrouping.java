package io.graywatch.replay.harness;

import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.logs.LogLevel;
import io.graywatch.replay.corpus.LogEvent;

/**
 * Groups a corpus's log events exactly as the agent groups live logs: exceptions by fingerprint
 * (type, normalised application frames, root cause), other lines by their mined template.
 */
public final class FingerprintLogGrouping implements LogGrouping {
    private final LogGrouper grouper = new LogGrouper(LogGrouper.Config.defaults());
    private long line;

    @Override
    public LogGroup groupOf(LogEvent e) {
        io.graywatch.core.logs.LogEvent event = io.graywatch.core.logs.LogEvent.of(++line, e.timestamp(), LogLevel.parse(e.level()),
                e.message(), e.stack());
        return grouper.group(grouper.add(event, e.timestamp()));
    }
}
