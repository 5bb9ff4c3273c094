package io.graywatch.core.guard;

/**
 * The detection algorithm behind a guard: Graywatch's funnel, or a baseline measured beside it.
 * Implementations are pure and deterministic: the same input and state give the same result,
 * which is what makes replay a proof.
 */
public interface Judge {
    /** Short name used on the command line and in reports: graywatch, kayenta, threshold. */
    String algorithm();

    /** Changes whenever the algorithm's behaviour changes, so recordings say what judged them. */
    String version();

    RoundResult judge(GuardInput input, GuardState state);
}
