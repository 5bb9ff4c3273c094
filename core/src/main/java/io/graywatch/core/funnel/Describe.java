package io.graywatch.core.funnel;

import io.graywatch.core.metric.MetricSpec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Numbers and names as people read them in findings and verdict reasons. */
public final class Describe {
    private Describe() {
    }

    /** {@code error_rate} → {@code error rate}. */
    public static String name(MetricSpec spec) {
        return spec.name().replace('_', ' ').replace('.', ' ');
    }

    /** A value with its unit, as precise as people read it: {@code 4.1%}, {@code 230 ms}, {@code 12.5 req/s}. */
    public static String value(double v, String unit) {
        if (Double.isNaN(v)) return "no data";
        return withUnit(number(v), unit);
    }

    private static String withUnit(String n, String unit) {
        String u = unit == null ? "" : unit.trim();
        if (u.isEmpty()) return n;
        if (u.equals("%") || u.equalsIgnoreCase("percent")) return n + "%";
        return n + " " + u;
    }

    /**
     * Two significant digits ({@code 4.1}, {@code 0.31}, {@code 47}), whole numbers from 100 on ({@code 247},
     * {@code 2905}): a sentence compares levels, and more digits are noise to the reader.
     */
    public static String number(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "-∞";
        if (v == 0) return "0";
        if (Math.abs(v) >= 99.5) return Long.toString(Math.round(v));
        BigDecimal d = new BigDecimal(v).round(new MathContext(2));
        return d.stripTrailingZeros().toPlainString();
    }

    /**
     * A value shown beside others that differ from it by about {@code resolution}: as many decimals
     * as that difference needs, so "99.04% vs 99.98%" does not read as "99% vs 100%".
     */
    public static String value(double v, String unit, double resolution) {
        if (Double.isNaN(v)) return "no data";
        return withUnit(number(v, resolution), unit);
    }

    /** {@link #number(double)}, with at least the decimals that show a difference of {@code resolution}. */
    public static String number(double v, double resolution) {
        String plain = number(v);
        if (!Double.isFinite(v) || !Double.isFinite(resolution) || resolution <= 0) return plain;
        int needed = Math.min(6, Math.max(0, 1 - (int) Math.floor(Math.log10(resolution))));
        int has = plain.indexOf('.') < 0 ? 0 : plain.length() - plain.indexOf('.') - 1;
        if (needed <= has) return plain;
        return new BigDecimal(v).setScale(needed, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** A signed relative change: {@code +25%}, {@code -40%}. */
    public static String percent(double share) {
        return String.format(Locale.ROOT, "%+.0f%%", share * 100);
    }

    /** A signed change in the metric's unit: {@code +3.7 points} for percentages, {@code +40 ms}. */
    public static String change(double v, String unit) {
        String u = unit == null ? "" : unit.trim();
        String n = (v > 0 ? "+" : "") + number(v);
        if (u.equals("%") || u.equalsIgnoreCase("percent")) return n + " points";
        return u.isEmpty() ? n : n + " " + u;
    }

    /** "the released instance" or "the 3 released instances". */
    public static String instances(int n, String adjective) {
        return n == 1 ? "the " + adjective + " instance" : "the " + n + " " + adjective + " instances";
    }

    public static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
