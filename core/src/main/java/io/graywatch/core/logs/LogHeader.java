package io.graywatch.core.logs;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * Reads the header of a log line at the byte level: its level word, its timestamp and where the
 * message starts. Works on the ASCII part of a line, which UTF-8 and GBK leave intact, so no line
 * needs decoding to be classified. One instance per parser: it caches the last date and UTC offset.
 */
final class LogHeader {
    /** The level word is looked for this far into a line: long enough for syslog and BGL-style prefixes. */
    private static final int LEVEL_SCAN = 160;
    static final long UNKNOWN_TIME = Long.MIN_VALUE;

    private final ZoneRules zone;
    private long cachedDateKey = -1, cachedEpochDay;
    private long cachedHourKey = -1;
    private int cachedOffset;

    /** Results of the last {@link #scanLevel} call. */
    LogLevel level;
    int levelEnd;

    LogHeader(ZoneId zone) {
        this.zone = zone.getRules();
    }

    /** Finds the first level word in the line; sets {@link #level} (null if none) and {@link #levelEnd}. */
    void scanLevel(byte[] b, int off, int len) {
        int end = off + Math.min(len, LEVEL_SCAN);
        int i = off;
        while (i < end) {
            byte c = b[i];
            if (c >= 'A' && c <= 'Z' && (i == off || !isAlnum(b[i - 1]))) {
                int j = i + 1;
                while (j < off + len && b[j] >= 'A' && b[j] <= 'Z') j++;
                int w = j - i;
                if (w >= 4 && w <= 8 && (j == off + len || !isAlnum(b[j]))) {
                    LogLevel l = LogLevel.ofWord(b, i, w);
                    if (l != null) {
                        level = l;
                        levelEnd = j - off;
                        return;
                    }
                }
                i = j;
            } else {
                i++;
            }
        }
        level = null;
        levelEnd = 0;
    }

    /**
     * Offset (from {@code off}) where the message starts: after the level, bracketed thread names,
     * a logger and its separator ({@code -}, {@code :}, {@code ---}, or a logger ending with a colon).
     * {@code levelEnd} is where the level word ends ({@link #levelEnd} of the line's {@link #scanLevel}).
     */
    static int messageStart(byte[] b, int off, int len, int levelEnd) {
        int end = off + len;
        int p = off + levelEnd;
        if (p < end && (b[p] == ']' || b[p] == ':')) p++;
        int msg = skipSpaces(b, p, end);
        boolean leading = true;
        int names = 0;
        for (int tokens = 0; tokens < 8 && p < end; tokens++) {
            p = skipSpaces(b, p, end);
            if (p >= end) break;
            if (b[p] == '[') {
                p = skipBracket(b, p, end);
                if (leading) msg = skipSpaces(b, p, end);
                continue;
            }
            leading = false;
            int t = p;
            while (p < end && b[p] != ' ' && b[p] != '\t') p++;
            int w = p - t;
            if ((w == 1 && (b[t] == '-' || b[t] == ':')) || (w == 3 && b[t] == '-' && b[t + 1] == '-' && b[t + 2] == '-')) {
                msg = skipSpaces(b, p, end);
                if (w == 1) break;
                names = 0;
                continue;
            }
            if (w > 1 && b[p - 1] == ':' && isIdentifier(b, t, p - 1) && isQualified(b, t, p - 1)) {
                msg = skipSpaces(b, p, end);
                break;
            }
            // a logger and process ids may stand before the separator; a second word means the message had begun
            if (!isIdentifier(b, t, p) || (!isNumber(b, t, p) && ++names > 1)) break;
        }
        return msg - off;
    }

    /** Unix seconds of a leading {@code yyyy-MM-dd[ T]HH:mm:ss[.SSS][zone]} timestamp, or {@link #UNKNOWN_TIME}. */
    long epochSecond(byte[] b, int off, int len) {
        int p = off, end = off + len;
        if (p < end && b[p] == '[') p++;
        if (end - p < 19) return UNKNOWN_TIME;
        int y = digits(b, p, 4), mo = digits(b, p + 5, 2), d = digits(b, p + 8, 2);
        byte s1 = b[p + 4], s2 = b[p + 7], sep = b[p + 10];
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || s1 != s2 || (s1 != '-' && s1 != '/') || (sep != ' ' && sep != 'T'))
            return UNKNOWN_TIME;
        int h = digits(b, p + 11, 2), mi = digits(b, p + 14, 2), s = digits(b, p + 17, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60 || b[p + 13] != ':' || b[p + 16] != ':') return UNKNOWN_TIME;
        p += 19;
        if (p < end && (b[p] == '.' || b[p] == ',')) {
            p++;
            while (p < end && b[p] >= '0' && b[p] <= '9') p++;
        }
        long dateKey = y * 10000L + mo * 100L + d;
        if (dateKey != cachedDateKey) {
            if (d > YearMonth.of(y, mo).lengthOfMonth()) return UNKNOWN_TIME;
            cachedEpochDay = LocalDate.of(y, mo, d).toEpochDay();
            cachedDateKey = dateKey;
        }
        long local = cachedEpochDay * 86400 + h * 3600L + mi * 60L + s;
        int offset = explicitOffset(b, p, end);
        if (offset == Integer.MIN_VALUE) {
            long hourKey = local / 3600;
            if (hourKey != cachedHourKey) {
                cachedOffset = zone.getOffset(LocalDateTime.of(LocalDate.ofEpochDay(cachedEpochDay), LocalTime.of(h, 0))).getTotalSeconds();
                cachedHourKey = hourKey;
            }
            offset = cachedOffset;
        }
        return local - offset;
    }

    /** Seconds east of UTC written right after the time ({@code Z}, {@code +08:00}, {@code +0800}), or MIN_VALUE. */
    private static int explicitOffset(byte[] b, int p, int end) {
        if (p < end && b[p] == ' ') p++;
        if (p >= end) return Integer.MIN_VALUE;
        if (b[p] == 'Z') return 0;
        if ((b[p] != '+' && b[p] != '-') || end - p < 5) return Integer.MIN_VALUE;
        int sign = b[p] == '-' ? -1 : 1;
        int hh = digits(b, p + 1, 2);
        int mm = b[p + 3] == ':' && end - p >= 6 ? digits(b, p + 4, 2) : digits(b, p + 3, 2);
        if (hh < 0 || mm < 0 || hh > 18) return Integer.MIN_VALUE;
        return sign * (hh * 3600 + mm * 60);
    }

    private static int digits(byte[] b, int p, int n) {
        int v = 0;
        for (int i = p; i < p + n; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) return -1;
            v = v * 10 + c;
        }
        return v;
    }

    private static int skipSpaces(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t')) p++;
        return p;
    }

    private static int skipBracket(byte[] b, int p, int end) {
        int depth = 0;
        for (; p < end; p++) {
            if (b[p] == '[') depth++;
            else if (b[p] == ']' && --depth == 0) return p + 1;
        }
        return end;
    }

    /** A logger, class or process name: letters, digits and {@code . $ _ -}. */
    private static boolean isIdentifier(byte[] b, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (!isAlnum(c) && c != '.' && c != '$' && c != '_' && c != '-') return false;
        }
        return true;
    }

    private static boolean isQualified(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == '.' || b[i] == '$') return true;
        return false;
    }

    private static boolean isNumber(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] < '0' || b[i] > '9') return false;
        return true;
    }

    static boolean isAlnum(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
