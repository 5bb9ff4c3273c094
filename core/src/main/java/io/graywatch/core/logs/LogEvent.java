package io.graywatch.core.logs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * One log event: a line with a header and the lines that continue it (a stack trace, a multi-line
 * exception message). It holds the event's bytes and decodes its text, message and stack trace
 * only when asked, so that grouping an event costs no more than its template needs.
 */
public final class LogEvent {
    public static final long UNKNOWN_TIME = LogHeader.UNKNOWN_TIME;
    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long lineNumber, epochSecond;
    private final LogLevel level;
    private final boolean truncated;
    private final byte[] bytes;
    private final int firstLineLength, messageStart, stackStart;
    private Charset charset;
    private String text, message;
    private ThrowableInfo stack;

    /** @param charset how to decode; null decides from the bytes: UTF-8 when valid, else GBK (GB18030) */
    LogEvent(long lineNumber, long epochSecond, LogLevel level, boolean truncated, byte[] bytes, int firstLineLength, int messageStart,
             int stackStart, Charset charset) {
        this.lineNumber = lineNumber;
        this.epochSecond = epochSecond;
        this.level = level;
        this.truncated = truncated;
        this.bytes = bytes;
        this.firstLineLength = firstLineLength;
        this.messageStart = messageStart;
        this.stackStart = stackStart;
        this.charset = charset;
    }

    /**
     * An event from its parts, e.g. a recorded one ({@code message} and {@code stack} of a corpus's
     * {@code logs.jsonl}); {@code stack} may be null.
     */
    public static LogEvent of(long lineNumber, long epochSecond, LogLevel level, String message, String stack) {
        String first = message.lines().findFirst().orElse("");
        String text = stack == null || stack.isBlank() ? message : message + "\n" + stack;
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int firstLen = first.getBytes(StandardCharsets.UTF_8).length;
        int stackStart = stack == null || stack.isBlank() ? -1 : message.getBytes(StandardCharsets.UTF_8).length + 1;
        return new LogEvent(lineNumber, epochSecond, level, false, b, firstLen, 0, stackStart, StandardCharsets.UTF_8);
    }

    /** The 1-based line where the event starts. */
    public long lineNumber() {
        return lineNumber;
    }

    /** The header's timestamp in Unix seconds, or {@link #UNKNOWN_TIME} when the header has none. */
    public long epochSecond() {
        return epochSecond;
    }

    public boolean hasTime() {
        return epochSecond != UNKNOWN_TIME;
    }

    /** The header's level, or null when the line has none. */
    public LogLevel level() {
        return level;
    }

    /** Whether a line of it was cut at the line limit, or lines were left out at the event limit. */
    public boolean truncated() {
        return truncated;
    }

    public boolean hasStack() {
        return stackStart >= 0;
    }

    /** The first line without its header (timestamp, level, thread, logger). */
    public String message() {
        if (message == null) message = new String(bytes, messageStart, firstLineLength - messageStart, charset());
        return message;
    }

    /** The whole event as logged, lines joined with {@code \n}. */
    public String text() {
        if (text == null) text = new String(bytes, 0, bytes.length, charset());
        return text;
    }

    /** The parsed stack trace, or null. */
    public ThrowableInfo stack() {
        if (stack == null && stackStart >= 0) stack = ThrowableInfo.parse(new String(bytes, stackStart, bytes.length - stackStart, charset()));
        return stack;
    }

    byte[] bytes() {
        return bytes;
    }

    int messageStart() {
        return messageStart;
    }

    int messageEnd() {
        return firstLineLength;
    }

    Charset charset() {
        if (charset == null) charset = isAscii(bytes) || isUtf8(bytes, 0, bytes.length) ? StandardCharsets.UTF_8 : GB18030;
        return charset;
    }

    private static boolean isAscii(byte[] b) {
        int i = 0;
        for (; i + 8 <= b.length; i += 8) if (((long) LONGS.get(b, i) & 0x8080808080808080L) != 0) return false;
        for (; i < b.length; i++) if (b[i] < 0) return false;
        return true;
    }

    /** Strict UTF-8 check; a sequence cut by the line limit at the very end still counts as UTF-8. */
    static boolean isUtf8(byte[] b, int i, int end) {
        while (i < end) {
            int c = b[i] & 0xFF;
            int n;
            if (c < 0x80) n = 0;
            else if (c >= 0xC2 && c <= 0xDF) n = 1;
            else if (c >= 0xE0 && c <= 0xEF) n = 2;
            else if (c >= 0xF0 && c <= 0xF4) n = 3;
            else return false;
            for (int k = 1; k <= n && i + k < end; k++) if ((b[i + k] & 0xC0) != 0x80) return false;
            i += n + 1;
        }
        return true;
    }

    @Override
    public String toString() {
        return "LogEvent[line " + lineNumber + ", " + level + ": " + message() + "]";
    }
}
