package io.graywatch.core.logs;

/** Severity of a log event, from the header's level word (SEVERE, WARNING and CRITICAL are folded in). */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    public boolean atLeast(LogLevel other) {
        return ordinal() >= other.ordinal();
    }

    public static LogLevel parse(String s) {
        LogLevel l = s == null ? null : word(s.trim().toUpperCase(java.util.Locale.ROOT));
        if (l == null) throw new IllegalArgumentException("unknown log level '" + s + "': use TRACE, DEBUG, INFO, WARN, ERROR or FATAL");
        return l;
    }

    private static LogLevel word(String w) {
        byte[] b = w.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return ofWord(b, 0, b.length);
    }

    /** The level named by the ASCII word {@code b[off, off+len)}, or null when it names none. */
    static LogLevel ofWord(byte[] b, int off, int len) {
        switch (len) {
            case 4:
                if (is(b, off, 'I', 'N', 'F', 'O')) return INFO;
                if (is(b, off, 'W', 'A', 'R', 'N')) return WARN;
                return null;
            case 5:
                if (is(b, off, 'E', 'R', 'R', 'O', 'R')) return ERROR;
                if (is(b, off, 'D', 'E', 'B', 'U', 'G')) return DEBUG;
                if (is(b, off, 'T', 'R', 'A', 'C', 'E')) return TRACE;
                if (is(b, off, 'F', 'A', 'T', 'A', 'L')) return FATAL;
                return null;
            case 6:
                return is(b, off, 'S', 'E', 'V', 'E', 'R', 'E') ? ERROR : null;
            case 7:
                return is(b, off, 'W', 'A', 'R', 'N', 'I', 'N', 'G') ? WARN : null;
            case 8:
                return is(b, off, 'C', 'R', 'I', 'T', 'I', 'C', 'A', 'L') ? FATAL : null;
            default:
                return null;
        }
    }

    private static boolean is(byte[] b, int off, char... w) {
        for (int i = 0; i < w.length; i++) if (b[off + i] != w[i]) return false;
        return true;
    }
}
