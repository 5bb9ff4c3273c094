package io.graywatch.core.metric;

import java.util.Locale;

/** Which direction of change hurts users; only that direction can become a finding. */
public enum Bad {
    INCREASE, DECREASE, EITHER;

    public static Bad parse(String s) {
        if (s == null || s.isBlank()) return EITHER;
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown bad direction '" + s + "': use increase, decrease or either");
        }
    }

    /** True when a change of this sign (positive = went up) is in the bad direction. */
    public boolean isBad(double change) {
        return switch (this) {
            case INCREASE -> change > 0;
            case DECREASE -> change < 0;
            case EITHER -> change != 0;
        };
    }

    public String id() { return name().toLowerCase(Locale.ROOT); }
}
