package io.graywatch.core.guard;

/**
 * The range of one metric's release effect (the funnel's {@code effect}: the release-vs-reference
 * change relative to the release group's own level, signed) seen in an app's normal releases.
 * A finding inside it is demoted to WARN. The learner fills these from past outcomes.
 */
public record NormalRange(double low, double high) {
    public NormalRange {
        if (!(low <= high)) throw new IllegalArgumentException("need low <= high, got " + low + " > " + high);
    }

    public boolean contains(double effect) {
        return effect >= low && effect <= high;
    }
}
