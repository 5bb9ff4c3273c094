package io.graywatch.server.replay;

import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.logs.LogParser;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.server.guard.GuardRecords;
import io.graywatch.server.guard.GuardRecords.RecordedCount;
import io.graywatch.server.release.Release;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The log events of a recorded release, as its corpus case's logs.jsonl: the one place where the
 * corpus export meets the recording of log groups ({@link GuardRecords#logCounts}).
 */
@FunctionalInterface
public interface RecordedLogs {
    /** The release's log events in time order; empty when none were recorded. */
    List<LogEvent> of(Release release);

    /**
     * Recorded group counts as corpus log events: one line per count, standing for {@code count}
     * events of the group's sample. A replay groups the sample again (fingerprint or template) and
     * finds the same group, because the sample is a real event of it.
     *
     * <p>A line is stamped at its bucket's start, unless a round ran between that start and the
     * round that first saw the count: the agents ship every few seconds, so the live guard learned
     * of those events only later, and the line is stamped just after the round that missed them.
     * A replay, which reveals an event at its timestamp, then knows no more than the live guard did.
     *
     * @param rounds the moments of the release's rounds (Unix seconds)
     */
    static List<LogEvent> events(Map<String, LogGroup> groups, List<RecordedCount> counts, long[] rounds) {
        long[] moments = rounds.clone();
        Arrays.sort(moments);
        List<LogEvent> out = new ArrayList<>();
        for (RecordedCount c : counts) {
            LogGroup g = groups.get(c.groupId());
            if (g == null || c.count() <= 0) continue;
            int i = Arrays.binarySearch(moments, c.seenAt());
            int before = (i >= 0 ? i : -i - 1) - 1;
            long at = before >= 0 && moments[before] >= c.bucketStart() ? moments[before] + 1 : c.bucketStart();
            out.add(event(g, at, c.instance(), c.count()));
        }
        out.sort(Comparator.comparingLong(LogEvent::timestamp));
        return out;
    }

    /**
     * A group's sample as a corpus event. The sample is the event as logged: its first line with
     * the header (time, level, thread, logger) and the message, then the stack trace, if any. The
     * corpus keeps the message without the header, as the agent groups it.
     */
    private static LogEvent event(LogGroup g, long at, String instance, long count) {
        String sample = g.sample() != null ? g.sample() : g.template();
        int cut = sample.indexOf('\n');
        String first = cut < 0 ? sample : sample.substring(0, cut);
        String rest = cut < 0 ? null : sample.substring(cut + 1);
        io.graywatch.core.logs.LogEvent[] parsed = new io.graywatch.core.logs.LogEvent[1];
        LogParser parser = new LogParser(LogParser.Config.defaults(), e -> {
            if (parsed[0] == null) parsed[0] = e;
        });
        parser.feed(first + "\n");
        parser.finish();
        String message = parsed[0] == null ? first : parsed[0].message();
        String level = parsed[0] != null && parsed[0].level() != null ? parsed[0].level().name() : g.level();
        String stack = null;
        if (g.kind() == LogGroup.Kind.EXCEPTION && rest != null && !rest.isBlank()) {
            // a trace printed without a header starts on the first line: "java.lang.X: message" then "\tat ..."
            stack = Character.isWhitespace(rest.charAt(0)) ? sample : rest;
        }
        return new LogEvent(at, instance, level == null ? "ERROR" : level, null, message, stack, count);
    }
}
