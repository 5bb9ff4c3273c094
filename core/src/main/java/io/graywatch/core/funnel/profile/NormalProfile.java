package io.graywatch.core.funnel.profile;

import io.graywatch.core.guard.NormalRange;

import java.util.Map;

/**
 * Stage 6: an effect inside the range the app shows in its normal releases (learned offline from
 * outcomes and feedback) is real but harmless for this app, so it is demoted to WARN.
 */
public final class NormalProfile {
    private final Map<String, NormalRange> ranges;

    public NormalProfile(Map<String, NormalRange> ranges) {
        this.ranges = ranges;
    }

    /** The range that covers the effect, or null when the finding stands. */
    public NormalRange covering(String metric, double effect) {
        NormalRange r = ranges.get(metric);
        return r != null && r.contains(effect) ? r : null;
    }
}
