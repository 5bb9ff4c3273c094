package io.graywatch.core.logs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Turns the bytes of a log (in chunks of any size) into {@link LogEvent}s: splits lines, joins
 * multi-line Java events (stack frames, {@code Caused by:}, {@code Suppressed:}, {@code ... N more},
 * multi-line exception messages), cuts huge lines, skips binary garbage and events below the
 * minimum level without decoding them. One parser per file, since an event never spans files.
 *
 * <p>The hot path is byte-level: a line is classified by its first bytes and its level word, and only
 * kept events are copied and decoded. A partial last line waits in the parser for its newline.
 */
public final class LogParser {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] CAUSED_BY = "Caused by: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUPPRESSED = "Suppressed: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IN_THREAD = "Exception in thread \"".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param minLevel      events below this level are counted and skipped; null keeps every event, with or without a level.
     *                      With a level set, an event without one is kept only when it carries a stack trace.
     * @param maxLineBytes  a longer line is cut here (and counted as truncated)
     * @param charset       how lines are decoded; null detects per event: UTF-8 when valid, else GBK (GB18030)
     * @param zone          the zone of header timestamps that do not name one
     * @param maxEventBytes lines of an event beyond this size are left out (a runaway stack trace)
     */
    public record Config(LogLevel minLevel, int maxLineBytes, Charset charset, ZoneId zone, int maxEventBytes) {
        public Config {
            if (maxLineBytes < 80) throw new IllegalArgumentException("maxLineBytes must be at least 80, got " + maxLineBytes);
            if (maxEventBytes < maxLineBytes) throw new IllegalArgumentException("maxEventBytes must be at least maxLineBytes");
            zone = zone == null ? ZoneOffset.UTC : zone;
        }

        /** Every event, 64 KiB lines, charset detected, UTC, 512 KiB events. */
        public static Config defaults() {
            return new Config(null, 64 * 1024, null, ZoneOffset.UTC, 512 * 1024);
        }

        public Config withMinLevel(LogLevel v) { return new Config(v, maxLineBytes, charset, zone, maxEventBytes); }

        public Config withMaxLineBytes(int v) { return new Config(minLevel, v, charset, zone, Math.max(v, maxEventBytes)); }

        public Config withCharset(Charset v) { return new Config(minLevel, maxLineBytes, v, zone, maxEventBytes); }

        public Config withZone(ZoneId v) { return new Config(minLevel, maxLineBytes, charset, v, maxEventBytes); }
    }

    /**
     * @param lines          physical lines read (blank and binary ones included)
     * @param events         events handed to the sink
     * @param skippedEvents  events below the minimum level
     * @param truncatedLines lines cut at the line limit
     * @param binaryLines    lines dropped because they held control bytes (binary garbage)
     */
    public record Stats(long lines, long events, long skippedEvents, long truncatedLines, long binaryLines) {
        public Stats plus(Stats o) {
            return new Stats(lines + o.lines, events + o.events, skippedEvents + o.skippedEvents, truncatedLines + o.truncatedLines,
                    binaryLines + o.binaryLines);
        }
    }

    private enum State { NONE, SKIP, KEEP }

    private final Config config;
    private final Consumer<LogEvent> sink;
    private final LogHeader header;
    private final int maxLine;

    private byte[] carry = new byte[256];
    private int carryLen;
    private boolean carryOverflow, carryBinary;

    private long lines, events, skipped, truncatedLines, binaryLines;

    private State state = State.NONE;
    private boolean hasStack, expectMessage;
    private byte[] ev = new byte[1024];
    private int evLen, evFirstLineLen, evLevelEnd, evStackStart;
    private long evLine;
    private LogLevel evLevel;
    private boolean evTruncated;

    public LogParser(Config config, Consumer<LogEvent> sink) {
        this.config = config;
        this.sink = sink;
        this.header = new LogHeader(config.zone());
        this.maxLine = config.maxLineBytes();
    }

    /** Parses a chunk; complete lines are handled now, a trailing partial line waits for its newline. */
    public void feed(byte[] buf, int off, int len) {
        int i = off, end = off + len;
        while (i < end) {
            int s = i;
            boolean binary = false, newline = false;
            while (true) {
                // eight bytes at a time while none of them is a control byte (a newline is one)
                while (i + 8 <= end && !hasControlByte((long) LONGS.get(buf, i))) i += 8;
                int stop = Math.min(end, i + 8);
                for (; i < stop; i++) {
                    byte c = buf[i];
                    if ((c & 0xE0) == 0) {
                        if (c == '\n') {
                            newline = true;
                            break;
                        }
                        // tab, CR, form feed, vertical tab and ESC (colour codes) occur in text logs; other control bytes do not
                        if (c != '\t' && c != '\r' && c != 0x1b && c != '\f' && c != 0x0b) binary = true;
                    }
                }
                if (newline || i >= end) break;
            }
            if (newline) {
                if (carryLen > 0 || carryOverflow) {
                    appendCarry(buf, s, i - s);
                    line(carry, carryLen, carryOverflow, binary | carryBinary);
                    carryLen = 0;
                    carryOverflow = carryBinary = false;
                } else {
                    int l = i - s;
                    if (l > maxLine) line(buf, s, maxLine, true, binary);
                    else line(buf, s, l, false, binary);
                }
                i++;
            } else {
                appendCarry(buf, s, end - s);
                carryBinary |= binary;
            }
        }
    }

    /** Whether one of the eight bytes is below 0x20 (exact when there is none; false alarms only follow a real one). */
    private static boolean hasControlByte(long x) {
        return ((x - 0x2020202020202020L) & ~x & 0x8080808080808080L) != 0;
    }

    /** Parses text (encoded with the configured charset, UTF-8 when detecting). */
    public void feed(String text) {
        byte[] b = text.getBytes(config.charset() == null ? StandardCharsets.UTF_8 : config.charset());
        feed(b, 0, b.length);
    }

    /** Hands over the event being assembled (when the log has been quiet for a while); a partial line keeps waiting. */
    public void flushEvent() {
        if (state == State.KEEP) emit();
        state = State.NONE;
    }

    /** The end of the input: a partial last line counts as a line, and the last event is handed over. */
    public void finish() {
        if (carryLen > 0 || carryOverflow) {
            line(carry, carryLen, carryOverflow, carryBinary);
            carryLen = 0;
            carryOverflow = carryBinary = false;
        }
        flushEvent();
    }

    public boolean hasPendingEvent() {
        return state == State.KEEP;
    }

    /** Bytes waiting for a newline. */
    public int pendingLineBytes() {
        return carryLen;
    }

    public long lines() {
        return lines;
    }

    public Stats stats() {
        return new Stats(lines, events, skipped, truncatedLines, binaryLines);
    }

    private void appendCarry(byte[] buf, int off, int len) {
        int room = maxLine - carryLen;
        if (len > room) {
            carryOverflow = true;
            len = Math.max(room, 0);
        }
        if (carryLen + len > carry.length) carry = Arrays.copyOf(carry, Math.min(maxLine, Math.max(carry.length * 2, carryLen + len)));
        System.arraycopy(buf, off, carry, carryLen, len);
        carryLen += len;
    }

    private void line(byte[] b, int len, boolean truncated, boolean binary) {
        line(b, 0, len, truncated, binary);
    }

    private void line(byte[] b, int off, int len, boolean truncated, boolean binary) {
        lines++;
        if (truncated) truncatedLines++;
        if (binary) {
            binaryLines++;
            return;
        }
        if (len > 0 && b[off + len - 1] == '\r') len--;
        if (len == 0) return;
        if (state != State.NONE && continues(b, off, len)) {
            if (state == State.KEEP) append(b, off, len, truncated);
            return;
        }
        if (state == State.KEEP) emit();
        start(b, off, len, truncated);
    }

    /** Whether a line continues the event being assembled, and what it tells about the stack trace. */
    private boolean continues(byte[] b, int off, int len) {
        byte c = b[off];
        if (c == ' ' || c == '\t') {
            int p = off;
            while (p < off + len && (b[p] == ' ' || b[p] == '\t')) p++;
            if (p + 3 <= off + len && ((b[p] == 'a' && b[p + 1] == 't' && b[p + 2] == ' ') || (b[p] == '.' && b[p + 1] == '.' && b[p + 2] == '.'))) {
                expectMessage = false;
            } else if (startsWith(b, p, off + len, CAUSED_BY) || startsWith(b, p, off + len, SUPPRESSED)) {
                expectMessage = true;
            }
            return true;
        }
        if (startsWith(b, off, off + len, CAUSED_BY) || (!hasStack && isExceptionLine(b, off, len))) {
            if (state == State.KEEP && evStackStart < 0) evStackStart = evLen + 1;
            hasStack = true;
            expectMessage = true;
            return true;
        }
        // the lines of a multi-line exception message, up to the next line that starts like a header
        return hasStack && expectMessage && c != '[' && (c < '0' || c > '9');
    }

    private void start(byte[] b, int off, int len, boolean truncated) {
        header.scanLevel(b, off, len);
        LogLevel level = header.level;
        boolean exception = startsWith(b, off, off + len, IN_THREAD) || (level == null && isExceptionLine(b, off, len));
        hasStack = exception;
        expectMessage = exception;
        LogLevel min = config.minLevel();
        if (min != null && (level == null ? !exception : !level.atLeast(min))) {
            state = State.SKIP;
            skipped++;
            return;
        }
        state = State.KEEP;
        evLine = lines;
        evLevel = level;
        evLevelEnd = header.levelEnd;
        evStackStart = exception ? 0 : -1;
        evTruncated = truncated;
        evLen = 0;
        ensure(len);
        System.arraycopy(b, off, ev, 0, len);
        evLen = len;
        evFirstLineLen = len;
    }

    private void append(byte[] b, int off, int len, boolean truncated) {
        evTruncated |= truncated;
        if (evLen + 1 + len > config.maxEventBytes()) {
            evTruncated = true;
            if (evStackStart > evLen) evStackStart = -1;
            return;
        }
        ensure(evLen + 1 + len);
        ev[evLen++] = '\n';
        System.arraycopy(b, off, ev, evLen, len);
        evLen += len;
    }

    private void ensure(int n) {
        if (n > ev.length) ev = Arrays.copyOf(ev, Math.max(n, Math.min(config.maxEventBytes(), ev.length * 2)));
    }

    private void emit() {
        state = State.NONE;
        long time = header.epochSecond(ev, 0, evFirstLineLen);
        int msgStart = evLevel == null ? 0 : LogHeader.messageStart(ev, 0, evFirstLineLen, evLevelEnd);
        events++;
        sink.accept(new LogEvent(evLine, time, evLevel, evTruncated, Arrays.copyOf(ev, evLen), evFirstLineLen, msgStart, evStackStart,
                config.charset()));
    }

    /** {@code java.lang.IllegalStateException: message} or a bare qualified class name: the first line of a stack trace. */
    static boolean isExceptionLine(byte[] b, int off, int len) {
        int p = off, end = off + len, segments = 0, last = off;
        while (true) {
            if (p >= end || !identStart(b[p])) return false;
            last = p++;
            while (p < end && identPart(b[p])) p++;
            segments++;
            if (p < end && b[p] == '.') {
                p++;
                continue;
            }
            break;
        }
        if (segments < 2 || b[last] < 'A' || b[last] > 'Z') return false;
        if (p < end && b[p] == ':') return p + 1 == end || b[p + 1] == ' ';
        while (p < end && b[p] == ' ') p++;
        return p == end;
    }

    private static boolean identStart(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }

    private static boolean identPart(byte c) {
        return identStart(c) || (c >= '0' && c <= '9');
    }

    private static boolean startsWith(byte[] b, int p, int end, byte[] prefix) {
        if (end - p < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[p + i] != prefix[i]) return false;
        return true;
    }
}
