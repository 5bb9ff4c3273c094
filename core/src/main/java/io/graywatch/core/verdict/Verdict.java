package io.graywatch.core.verdict;

/**
 * What a guard concludes in a round. Ordered from least to most severe so that the verdict of a
 * round is simply the most severe of its parts.
 */
public enum Verdict {
    PASS,
    /** Not enough data or traffic to judge. Never silently turned into PASS. */
    INCONCLUSIVE,
    /** An anomaly worth a look that does not block the release (anomaly recommendation). */
    WARN,
    /** An interception: the release must pause. */
    FAIL;

    public Verdict worst(Verdict other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }
}
