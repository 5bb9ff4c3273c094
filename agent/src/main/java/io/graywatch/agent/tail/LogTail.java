package io.graywatch.agent.tail;

import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.logs.LogParser;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Follows the log files of one instance (globs re-expanded at every poll), parses them and groups
 * their events. Rotation by rename (the old file is read to its end, the new one from its start)
 * and by copy-truncate are followed. This is the agent's whole reading side, usable in-process:
 * call {@link #poll()} often and {@link #drain()} once per shipping interval.
 */
public final class LogTail implements Closeable {

    /**
     * @param globs       the files to follow
     * @param parser      levels kept, line limit, charset, zone of timestamps
     * @param grouping    fingerprint and template settings, bucket width, samples
     * @param fromStart   read files that exist at the first poll from their start (else from their end, like {@code tail -F})
     * @param idleFlush   an event still being assembled is handed over once its file has been quiet this long
     * @param rotateGrace a file renamed away or deleted is still read until it has been quiet this long
     * @param readBuffer  bytes read at a time
     */
    public record Options(List<String> globs, LogParser.Config parser, LogGrouper.Config grouping, boolean fromStart, Duration idleFlush,
                          Duration rotateGrace, int readBuffer) {
        public Options {
            globs = List.copyOf(globs);
            if (readBuffer < 4096) throw new IllegalArgumentException("readBuffer must be at least 4096 bytes");
        }

        public static Options of(List<String> globs) {
            return new Options(globs, LogParser.Config.defaults().withMinLevel(io.graywatch.core.logs.LogLevel.WARN), LogGrouper.Config.defaults(),
                    false, Duration.ofSeconds(1), Duration.ofSeconds(5), 256 * 1024);
        }

        public Options withFromStart(boolean v) { return new Options(globs, parser, grouping, v, idleFlush, rotateGrace, readBuffer); }

        public Options withParser(LogParser.Config v) { return new Options(globs, v, grouping, fromStart, idleFlush, rotateGrace, readBuffer); }

        public Options withGrouping(LogGrouper.Config v) { return new Options(globs, parser, v, fromStart, idleFlush, rotateGrace, readBuffer); }

        /** How long an event may wait for more lines, and how long a rotated file is still read, once quiet. */
        public Options withQuietPeriods(Duration idle, Duration grace) { return new Options(globs, parser, grouping, fromStart, idle, grace, readBuffer); }
    }

    /** What the tail has done since it started. */
    public record Stats(LogParser.Stats parsed, long bytes, int files, long rotations, long truncations, String lastError) {
    }

    private static final List<String> COMPRESSED = List.of(".gz", ".zip", ".bz2", ".xz", ".zst", ".lz4");

    private final Options options;
    private final Globs globs;
    private final LogGrouper grouper;
    private final LongSupplier clockSeconds;
    private final Map<Object, TailedFile> files = new LinkedHashMap<>();
    private final ByteBuffer buffer;
    private boolean firstPoll = true;
    private LogParser.Stats closedStats = new LogParser.Stats(0, 0, 0, 0, 0);
    private long bytes, rotations, truncationsOfClosed;
    private String lastError;

    /** @param clockSeconds the time (Unix seconds) given to events whose header has no date */
    public LogTail(Options options, LongSupplier clockSeconds) {
        this.options = options;
        this.globs = new Globs(options.globs());
        this.grouper = new LogGrouper(options.grouping());
        this.clockSeconds = clockSeconds;
        this.buffer = ByteBuffer.allocate(options.readBuffer());
    }

    public LogTail(Options options) {
        this(options, () -> System.currentTimeMillis() / 1000);
    }

    /** Picks up new and rotated files and reads what was appended; returns the bytes read. */
    public synchronized long poll() {
        Map<Object, Path> found = new LinkedHashMap<>();
        for (Path p : globs.files()) {
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (COMPRESSED.stream().anyMatch(name::endsWith)) continue;
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                found.putIfAbsent(a.fileKey() != null ? a.fileKey() : p, p);
            } catch (IOException e) {
                // gone between listing and reading: rotation in progress
            }
        }
        long read = 0;
        long now = System.nanoTime();
        // files that left the globs (renamed away or deleted) hold the older lines: they are read first, and for a
        // while longer, since an app writes on into the renamed file until it reopens its log
        for (Iterator<TailedFile> it = files.values().iterator(); it.hasNext(); ) {
            TailedFile f = it.next();
            if (found.containsKey(f.key)) {
                f.goneSinceNanos = 0;
                continue;
            }
            if (f.goneSinceNanos == 0) f.goneSinceNanos = now;
            read += read(f);
            if (now - Math.max(f.goneSinceNanos, f.lastDataNanos) >= options.rotateGrace().toNanos()) {
                f.parser.finish();
                closedStats = closedStats.plus(f.parser.stats());
                truncationsOfClosed += f.truncations;
                rotations++;
                closeQuietly(f);
                it.remove();
            }
        }
        for (Map.Entry<Object, Path> e : found.entrySet()) {
            TailedFile f = files.get(e.getKey());
            if (f != null && f.goneSinceNanos != 0) continue;
            if (f == null) {
                try {
                    f = new TailedFile(e.getKey(), e.getValue(), new LogParser(options.parser(), ev -> grouper.add(ev, clockSeconds.getAsLong())),
                            firstPoll && !options.fromStart());
                    files.put(e.getKey(), f);
                } catch (NoSuchFileException gone2) {
                    continue;
                } catch (IOException ex) {
                    lastError = "cannot read " + e.getValue() + ": " + ex.getMessage();
                    continue;
                }
            }
            f.path = e.getValue();
            read += read(f);
        }
        long idle = options.idleFlush().toNanos();
        for (TailedFile f : files.values()) {
            if (f.parser.hasPendingEvent() && System.nanoTime() - f.lastDataNanos >= idle) f.parser.flushEvent();
        }
        firstPoll = false;
        bytes += read;
        return read;
    }

    private long read(TailedFile f) {
        try {
            return f.readNew(buffer);
        } catch (IOException e) {
            lastError = "cannot read " + f.path + ": " + e.getMessage();
            return 0;
        }
    }

    /** The groups' activity since the last drain: what one shipment carries. */
    public synchronized List<LogGrouper.Activity> drain() {
        return grouper.drain();
    }

    /** Hands over events still being assembled, e.g. before a last shipment. */
    public synchronized void flush() {
        for (TailedFile f : files.values()) f.parser.flushEvent();
    }

    public synchronized Stats stats() {
        LogParser.Stats s = closedStats;
        long truncations = truncationsOfClosed;
        for (TailedFile f : files.values()) {
            s = s.plus(f.parser.stats());
            truncations += f.truncations;
        }
        return new Stats(s, bytes, files.size(), rotations, truncations, lastError);
    }

    /** The files followed now. */
    public synchronized List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (TailedFile f : files.values()) out.add(f.path);
        return out;
    }

    @Override
    public synchronized void close() {
        for (Iterator<TailedFile> it = files.values().iterator(); it.hasNext(); ) {
            closeQuietly(it.next());
            it.remove();
        }
    }

    private static void closeQuietly(TailedFile f) {
        try {
            f.close();
        } catch (IOException e) {
            // closing a read-only channel cannot lose data
        }
    }
}
