package io.graywatch.core.metric;

import java.util.Locale;

/** The seed's metric families; each family gets its own detector settings. */
public enum MetricKind {
    BASIC, MIDDLEWARE, BUSINESS, LOG;

    public static MetricKind parse(String s) {
        if (s == null || s.isBlank()) return MIDDLEWARE;
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown metric kind '" + s + "': use basic, middleware, business or log");
        }
    }

    public String id() { return name().toLowerCase(Locale.ROOT); }
}
