package io.graywatch.agent;

import java.time.Duration;
import java.util.Locale;

/** Parses the durations ({@code 10s}, {@code 500ms}, {@code 2m}) and sizes ({@code 64m}, {@code 1g}) of the command line. */
public final class Units {
    private Units() {
    }

    public static Duration duration(String option, String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (v.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            else if (v.endsWith("s")) d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            else if (v.endsWith("m")) d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            else if (v.endsWith("h")) d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            else d = Duration.ofSeconds(Long.parseLong(v));
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(option + " must be positive, got '" + s + "'");
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": cannot read '" + s + "' as a duration; use e.g. 10s, 500ms, 2m");
        }
    }

    public static long bytes(String option, String s) {
        String v = s.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long unit = 1;
        if (v.endsWith("k")) unit = 1L << 10;
        else if (v.endsWith("m")) unit = 1L << 20;
        else if (v.endsWith("g")) unit = 1L << 30;
        if (unit > 1) v = v.substring(0, v.length() - 1);
        try {
            double n = Double.parseDouble(v);
            if (!(n > 0)) throw new IllegalArgumentException(option + " must be positive, got '" + s + "'");
            return Math.round(n * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": cannot read '" + s + "' as a size; use e.g. 64m, 1g, 512k or a number of bytes");
        }
    }

    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
