package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.clean.MetricSeries;

import java.util.Arrays;

/**
 * The other side of {@link StepAtLastSwitch}: once no old instance serves, a move that began minutes after the
 * last batch switched, at once on instances that had served the new version unchanged for minutes before it
 * and through the switch, is tied to no switch at all. The release changed nothing at that moment; an upstream
 * incident, a dependency or the day did. A fault the release brings shows when its instances switch (on each
 * as it switches, or on all when the last one joins), and one that grows (a leak, a ramp) had already moved
 * the earlier instances by the switch, so neither passes for this.
 */
public final class OnsetAfterLastSwitch {
    /** Buckets from the first after the last switch in which the earlier instances must still stand where they did. */
    static final int QUIET = 1;

    /** The share of their latest move the quiet buckets may show. */
    static final double QUIET_SHARE = 0.25;

    /** How many robust standard deviations of their own past the earlier instances' latest move must clear to be one. */
    static final double MOVE_Z = 3;

    /** The latest buckets whose median is the earlier instances' move now. */
    static final int LATEST = 3;

    private OnsetAfterLastSwitch() {
    }

    /**
     * How many minutes after the last switch the earlier instances' move the attribution's way began, when it
     * began after {@link #QUIET} quiet buckets; -1 when it did not, when a reference still serves, or when no
     * earlier instance had settled on the new version before the switch.
     */
    public static int minutesAfter(MetricSeries ms, Attribution att) {
        StepAtLastSwitch.Split split = StepAtLastSwitch.split(ms, QUIET + 1);
        if (split == null) return -1;
        double[] past = split.past(), since = split.since();
        double sign = Math.signum(att.effectAbs());
        if (sign == 0) return -1;
        double centre = Stats.median(past);
        double sigma = Stats.robustSigmaInPlace(past.clone(), centre);
        // every bucket since holds a value (see StepAtLastSwitch.split), at least QUIET + 1 of them
        double move = sign * (Stats.median(Arrays.copyOfRange(since, Math.max(QUIET, since.length - LATEST), since.length)) - centre);
        if (move <= 0 || !(move >= MOVE_Z * sigma)) return -1;
        for (int j = 0; j < QUIET; j++) if (sign * (since[j] - centre) >= QUIET_SHARE * move) return -1;
        int began = QUIET;
        while (began < since.length - 1 && !(sign * (since[began] - centre) >= 0.5 * move)) began++;
        return (int) (began * ms.fleet().step() / 60);
    }
}
