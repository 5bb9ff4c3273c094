package io.graywatch.server.replay;

import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.server.release.Release;

import java.util.ArrayList;
import java.util.List;

/**
 * The log events of a recorded release, as its corpus case's logs.jsonl: the one place where the
 * corpus export meets the recording of log groups. The server does not record the log groups its
 * guards read yet, so the bean in {@link ReplayConfig} finds none and cases get no logs.jsonl;
 * once rounds record their {@link LogData}, a bean of this type reads it back and passes it
 * through {@link #events(LogData)}.
 */
@FunctionalInterface
public interface RecordedLogs {
    /** The release's log events in time order; empty when none were recorded. */
    List<LogEvent> of(Release release);

    /**
     * Recorded group counts as corpus log events: one line per count, at its bucket's start, that
     * stands for {@code count} events of the group's sample. A replay groups the sample again
     * (fingerprint or template) and finds the same group, because the sample is a real event of it.
     */
    static List<LogEvent> events(LogData data) {
        List<LogEvent> out = new ArrayList<>();
        for (LogCount c : data.counts()) {
            LogGroup g = data.groups().get(c.groupId());
            if (g == null || c.count() <= 0) continue;
            // a sample is the event's text: its message line, then (for an exception) the stack trace
            int cut = g.sample().indexOf('\n');
            boolean stack = g.kind() == LogGroup.Kind.EXCEPTION && cut >= 0;
            out.add(new LogEvent(c.bucketStart(), c.instance(), g.level(), null, stack ? g.sample().substring(0, cut) : g.sample(),
                    stack ? g.sample().substring(cut + 1) : null, c.count()));
        }
        out.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        return out;
    }
}
