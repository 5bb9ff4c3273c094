package io.graywatch.server.ui;

import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricSpec;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the pages write times and numbers, as {@code @fmt} in templates. Times are UTC everywhere,
 * charts included, so a page reads the same for everyone and matches the server's log.
 */
@Component("fmt")
public class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String NONE = "—";

    public String time(Instant t) {
        return t == null ? NONE : TIME.format(t);
    }

    /** A moment in Unix seconds, as the corpus and replays keep them. */
    public String unixTime(Long seconds) {
        return seconds == null ? NONE : time(Instant.ofEpochSecond(seconds));
    }

    /** Enough digits to read a p-value or a mean, not the float's noise: 4.1, 0.001, 1.5e-07, 23800. */
    public String number(Double v) {
        if (v == null) return NONE;
        double d = v;
        if (!Double.isFinite(d)) return String.valueOf(d);
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
        if (Math.abs(d) >= 1000) return String.format(Locale.ROOT, "%.0f", d);
        if (Math.abs(d) < 0.001) return String.format(Locale.ROOT, "%.2e", d);
        return new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A finding's evidence as {@code key=value} pairs, in the order the funnel's stages wrote them. */
    public List<String> evidence(Map<String, Double> evidence) {
        return evidence.entrySet().stream().map(e -> e.getKey() + "=" + number(e.getValue())).toList();
    }

    /** At most {@code max} names, then how many more there are. */
    public String names(List<String> names, int max) {
        if (names.size() <= max) return String.join(", ", names);
        return names.stream().limit(max).collect(Collectors.joining(", ")) + " and " + (names.size() - max) + " more";
    }

    /** Which way a metric must not move, in words. */
    public String bad(Bad bad) {
        return switch (bad) {
            case INCREASE -> "up";
            case DECREASE -> "down";
            case EITHER -> "either way";
        };
    }

    /** The smallest change of a metric that can become a finding: both gates of its spec. */
    public String minEffect(MetricSpec m) {
        String relative = number(m.minRelativeEffect() * 100) + "% of its normal level";
        double points = m.defaultPoints();
        if (!Double.isNaN(points)) return relative + " and " + number(points) + " percentage points";
        if (m.minAbsoluteEffect() <= 0) return relative;
        return relative + " and " + number(m.minAbsoluteEffect()) + (m.unit().isEmpty() ? "" : " " + m.unit());
    }

    public String seconds(long s) {
        if (s % 3600 == 0 && s > 0) return s / 3600 + " h";
        if (s % 60 == 0 && s > 0) return s / 60 + " min";
        return s + " s";
    }
}
