package io.graywatch.agent.logs;

import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.logs.LogParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Groups whole log files offline with the agent's parser and grouper, remembering the group of
 * every event so that each can be reported with its group's final template. Line numbers run on
 * across files, as if the files were concatenated.
 */
public final class FileGrouping {
    private final LogGrouper grouper;
    private long[] lines = new long[1024];
    private int[] handles = new int[1024];
    private int size;
    private LogParser.Stats stats = new LogParser.Stats(0, 0, 0, 0, 0);

    private FileGrouping(LogGrouper.Config grouping) {
        this.grouper = new LogGrouper(grouping);
    }

    /** Reads and groups the files in order; events without a date are counted at time 0. */
    public static FileGrouping of(List<Path> files, LogParser.Config parser, LogGrouper.Config grouping) throws IOException {
        FileGrouping g = new FileGrouping(grouping);
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        for (Path f : files) {
            long offset = g.stats.lines();
            LogParser p = new LogParser(parser, e -> g.record(offset + e.lineNumber(), g.grouper.add(e, 0)));
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                while (true) {
                    buf.clear();
                    int n = ch.read(buf);
                    if (n < 0) break;
                    p.feed(buf.array(), 0, n);
                }
            }
            p.finish();
            g.stats = g.stats.plus(p.stats());
        }
        return g;
    }

    private void record(long line, int handle) {
        if (size == lines.length) {
            lines = Arrays.copyOf(lines, size * 2);
            handles = Arrays.copyOf(handles, size * 2);
        }
        lines[size] = line;
        handles[size++] = handle;
    }

    /** Number of events. */
    public int size() {
        return size;
    }

    /** The line where event {@code i} starts. */
    public long line(int i) {
        return lines[i];
    }

    /** The group of event {@code i}, with its final template. */
    public LogGroup group(int i) {
        return grouper.group(handles[i]);
    }

    /** The group handle of event {@code i} (handles are dense, from 0 to {@link #groups()} - 1). */
    public int handle(int i) {
        return handles[i];
    }

    public int groups() {
        return grouper.size();
    }

    public LogGroup groupOf(int handle) {
        return grouper.group(handle);
    }

    public long total(int handle) {
        return grouper.total(handle);
    }

    public LogParser.Stats stats() {
        return stats;
    }
}
