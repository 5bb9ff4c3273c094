package io.graywatch.core.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A Java throwable read back from its printed stack trace, with its {@code Caused by:} chain and
 * {@code Suppressed:} throwables.
 *
 * @param frames  the printed frames without {@code at } and packaging data ({@code ~[app.jar:1.0]}), top first
 * @param omitted frames left out as {@code ... N more} (shared with the enclosing trace)
 */
public record ThrowableInfo(String type, String message, List<String> frames, int omitted, ThrowableInfo cause,
                            List<ThrowableInfo> suppressed) {
    public ThrowableInfo {
        frames = List.copyOf(frames);
        suppressed = List.copyOf(suppressed);
    }

    /** The innermost cause: where the failure started. */
    public ThrowableInfo root() {
        ThrowableInfo t = this;
        // a cycle cannot occur in parsed text, but a depth bound keeps a malformed trace harmless
        for (int i = 0; t.cause != null && i < 100; i++) t = t.cause;
        return t;
    }

    private static final String CAUSED_BY = "Caused by: ", SUPPRESSED = "Suppressed: ", WRAPPED_BY = "Wrapped by: ";
    private static final String IN_THREAD = "Exception in thread \"";

    /**
     * Parses a printed stack trace whose first line is the outermost throwable's header (an
     * {@code Exception in thread "…"} prefix is allowed). Nesting follows the indentation, as the
     * JDK prints it: a suppressed throwable is one tab deeper than its owner, and its own causes
     * are at its depth.
     */
    public static ThrowableInfo parse(String text) {
        Deque<Open> open = new ArrayDeque<>();
        Builder top = null;
        int start = 0, n = text.length();
        while (start <= n) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? n : nl;
            int indent = start;
            while (indent < end && (text.charAt(indent) == '\t' || text.charAt(indent) == ' ')) indent++;
            int depth = indent - start;
            String line = text.substring(indent, end).stripTrailing();
            if (top == null) {
                if (!line.isEmpty()) {
                    String h = line.startsWith(IN_THREAD) ? afterThreadName(line) : line.startsWith(CAUSED_BY) ? line.substring(CAUSED_BY.length()) : line;
                    top = header(h);
                    open.push(new Open(depth, top));
                }
            } else if (line.startsWith("at ")) {
                open.peek().current.frames.add(frame(line.substring(3)));
            } else if (line.startsWith("... ") && (line.endsWith(" more") || line.endsWith(" omitted"))) {
                open.peek().current.omitted += leadingInt(line.substring(4));
            } else if (line.startsWith(CAUSED_BY) || line.startsWith(WRAPPED_BY)) {
                while (open.size() > 1 && open.peek().depth > depth) open.pop();
                Builder cause = header(line.substring(CAUSED_BY.length()));
                Open owner = open.peek();
                owner.current.cause = cause;
                owner.current = cause;
            } else if (line.startsWith(SUPPRESSED)) {
                while (open.size() > 1 && open.peek().depth >= depth) open.pop();
                Builder s = header(line.substring(SUPPRESSED.length()));
                open.peek().current.suppressed.add(s);
                open.push(new Open(depth, s));
            } else if (!line.isEmpty() && !line.startsWith("[CIRCULAR REFERENCE") && open.peek().current.frames.isEmpty()) {
                Builder b = open.peek().current;
                b.message = b.message == null ? line : b.message + "\n" + line;
            }
            if (nl < 0) break;
            start = nl + 1;
        }
        if (top == null) throw new IllegalArgumentException("no stack trace in the text");
        return top.build(0);
    }

    private static String afterThreadName(String line) {
        int close = line.indexOf("\" ", IN_THREAD.length());
        return close < 0 ? line : line.substring(close + 2);
    }

    private static Builder header(String line) {
        Builder b = new Builder();
        int colon = line.indexOf(": ");
        String type = colon < 0 ? line.endsWith(":") ? line.substring(0, line.length() - 1) : line : line.substring(0, colon);
        b.type = type.strip();
        b.message = colon < 0 ? null : line.substring(colon + 2);
        return b;
    }

    /** Drops what loggers print after the location: {@code ~[app.jar:1.0]}, {@code [na:1.8.0]}, {@code [?:?]}. */
    private static String frame(String s) {
        int close = s.lastIndexOf(')');
        return close < 0 ? s.strip() : s.substring(0, close + 1);
    }

    private static int leadingInt(String s) {
        int v = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)) && v < 1_000_000; i++) v = v * 10 + (s.charAt(i) - '0');
        return v;
    }

    private static final class Open {
        final int depth;
        Builder current;

        Open(int depth, Builder current) {
            this.depth = depth;
            this.current = current;
        }
    }

    private static final class Builder {
        String type, message;
        final List<String> frames = new ArrayList<>();
        int omitted;
        Builder cause;
        final List<Builder> suppressed = new ArrayList<>();

        ThrowableInfo build(int depth) {
            List<ThrowableInfo> sup = new ArrayList<>();
            if (depth < 100) for (Builder s : suppressed) sup.add(s.build(depth + 1));
            return new ThrowableInfo(type, message, frames, omitted, cause == null || depth >= 100 ? null : cause.build(depth + 1), sup);
        }
    }
}
