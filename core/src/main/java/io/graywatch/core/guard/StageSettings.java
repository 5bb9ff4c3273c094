package io.graywatch.core.guard;

import java.util.Objects;

/**
 * How the funnel's change and attribution stages judge the metrics of one role.
 *
 * @param test         RANK: Mann-Whitney U with a Hodges–Lehmann interval, for continuous values;
 *                     RATE: a Poisson rate test with over-dispersion, for counts
 * @param model        how a change is expressed: RATIO (relative to the instance's own level, for
 *                     values that scale with load: traffic, latency, CPU) or DIFFERENCE (in the
 *                     metric's unit, for percentages such as error rate)
 * @param alpha        significance level of the change and attribution tests (one-sided in the bad direction)
 * @param sstThreshold singular-spectrum-transform score at or above which the change stage also
 *                     flags a change of shape (ramp onset, new oscillation); 0 turns SST off
 */
public record StageSettings(Test test, Model model, double alpha, double sstThreshold) {
    public enum Test { RANK, RATE }

    public enum Model { RATIO, DIFFERENCE }

    public StageSettings {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(model, "model");
        if (!(alpha > 0 && alpha < 0.5)) throw new IllegalArgumentException("alpha must be in (0, 0.5), got " + alpha);
        if (!(sstThreshold >= 0 && sstThreshold <= 1)) throw new IllegalArgumentException("sstThreshold must be in [0, 1], got " + sstThreshold);
    }

    public boolean sst() { return sstThreshold > 0; }

    public StageSettings withAlpha(double v) { return new StageSettings(test, model, v, sstThreshold); }

    public StageSettings withSstThreshold(double v) { return new StageSettings(test, model, alpha, v); }
}
