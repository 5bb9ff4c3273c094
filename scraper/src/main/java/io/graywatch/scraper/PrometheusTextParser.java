package io.graywatch.scraper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the Prometheus text exposition format (version 0.0.4): {@code # HELP} and
 * {@code # TYPE} lines, other comments, samples with optional labels (escapes {@code \\},
 * {@code \"}, {@code \n}; a trailing comma), values including {@code NaN} and {@code ±Inf}, and an
 * optional timestamp in milliseconds. A malformed line is an error naming its line number.
 */
public final class PrometheusTextParser {
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private PrometheusTextParser() {
    }

    public static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Map<String, String> help = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            try {
                new Line(line).parseInto(samples, types, help);
            } catch (IllegalArgumentException e) {
                String shown = line.length() > 120 ? line.substring(0, 120) + "..." : line;
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + " in: " + shown, e);
            }
        }
        return new Exposition(samples, types, help);
    }

    /** A cursor over one line. */
    private static final class Line {
        private final String s;
        private int pos;

        Line(String s) {
            this.s = s;
        }

        void parseInto(List<Sample> samples, Map<String, String> types, Map<String, String> help) {
            skipBlanks();
            if (pos == s.length()) return;
            if (s.charAt(pos) == '#') {
                comment(types, help);
                return;
            }
            String name = metricName();
            Map<String, String> labels = new LinkedHashMap<>();
            skipBlanks();
            if (pos < s.length() && s.charAt(pos) == '{') labels(labels);
            skipBlanks();
            String value = token();
            if (value.isEmpty()) throw new IllegalArgumentException("sample " + name + " has no value");
            skipBlanks();
            String ts = token();
            skipBlanks();
            if (pos < s.length()) throw new IllegalArgumentException("unexpected text after the timestamp");
            OptionalLong timestamp = OptionalLong.empty();
            if (!ts.isEmpty()) {
                if (!INTEGER.matcher(ts).matches()) throw new IllegalArgumentException("timestamp '" + ts + "' is not an integer of milliseconds");
                timestamp = OptionalLong.of(Long.parseLong(ts));
            }
            samples.add(new Sample(name, labels, number(value), timestamp));
        }

        private void comment(Map<String, String> types, Map<String, String> help) {
            pos++;
            skipBlanks();
            String keyword = token();
            if (!keyword.equals("HELP") && !keyword.equals("TYPE")) return; // any other comment
            skipBlanks();
            String name = metricName();
            if (keyword.equals("TYPE")) {
                skipBlanks();
                String type = token().toLowerCase(Locale.ROOT);
                if (!TYPES.contains(type)) throw new IllegalArgumentException("unknown metric type '" + type + "'; use one of " + TYPES);
                skipBlanks();
                if (pos < s.length()) throw new IllegalArgumentException("unexpected text after the type");
                if (types.putIfAbsent(name, type) != null) throw new IllegalArgumentException("second TYPE line for " + name);
            } else {
                if (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) pos++;
                help.put(name, unescape(s.substring(pos), false));
            }
        }

        private void labels(Map<String, String> labels) {
            pos++; // {
            while (true) {
                skipBlanks();
                if (pos == s.length()) throw new IllegalArgumentException("labels are not closed with '}'");
                if (s.charAt(pos) == '}') {
                    pos++;
                    return;
                }
                String name = name(false);
                skipBlanks();
                expect('=');
                skipBlanks();
                expect('"');
                int start = pos;
                while (pos < s.length() && s.charAt(pos) != '"') pos += s.charAt(pos) == '\\' ? 2 : 1;
                if (pos >= s.length()) throw new IllegalArgumentException("value of label " + name + " is not closed with '\"'");
                String value = unescape(s.substring(start, pos), true);
                pos++;
                if (labels.put(name, value) != null) throw new IllegalArgumentException("label " + name + " appears twice");
                skipBlanks();
                if (pos < s.length() && s.charAt(pos) == ',') pos++;
                else if (pos < s.length() && s.charAt(pos) != '}') throw new IllegalArgumentException("expected ',' or '}' after label " + name);
            }
        }

        private String metricName() {
            return name(true);
        }

        private String name(boolean metric) {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (metric && c == ':')
                        || (pos > start && c >= '0' && c <= '9');
                if (!ok) break;
                pos++;
            }
            if (pos == start) throw new IllegalArgumentException("expected a " + (metric ? "metric" : "label") + " name at column " + (pos + 1));
            return s.substring(start, pos);
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) throw new IllegalArgumentException("expected '" + c + "' at column " + (pos + 1));
            pos++;
        }

        private String token() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ' ' && s.charAt(pos) != '\t') pos++;
            return s.substring(start, pos);
        }

        private void skipBlanks() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) pos++;
        }
    }

    /** Label values escape {@code \\ \" \n}; HELP text escapes only {@code \\ \n}. */
    private static String unescape(String v, boolean quote) {
        if (v.indexOf('\\') < 0) return v;
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = ++i < v.length() ? v.charAt(i) : 0;
            if (n == '\\') b.append('\\');
            else if (n == 'n') b.append('\n');
            else if (n == '"' && quote) b.append('"');
            else if (quote) throw new IllegalArgumentException("unknown escape '\\" + (n == 0 ? "" : n) + "' in a label value; use \\\\, \\\" or \\n");
            else b.append('\\').append(n == 0 ? "" : String.valueOf(n));
        }
        return b.toString();
    }

    static double number(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.equals("nan")) return Double.NaN;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (!NUMBER.matcher(v).matches()) throw new IllegalArgumentException("value '" + v + "' is not a number");
        return Double.parseDouble(v);
    }
}
