package io.graywatch.core.funnel.change;

import java.util.Map;

/**
 * What the change stage found for one metric of the release group against its own history.
 *
 * @param test          the rank test behind it (null for counts); its Hodges–Lehmann interval is
 *                      only worked out for the evidence of a finding, as most changes go no further
 * @param alpha         the level the interval is drawn at
 * @param rateChange    for counts, observed / expected − 1 (NaN otherwise)
 * @param sst           singular-spectrum-transform score at the switch (NaN when not computed)
 * @param steadiness    when the own history could not show the change: the p-value of the reference
 *                      group moving opposite to the bad direction (high = steady; NaN when not asked)
 * @param fleetHistory  true when the released instances had no history of their own and the
 *                      reference instances' baseline stood in for it
 */
public record Change(boolean changed, double pValue, RankTest test, double alpha, double rateChange, double sst,
                     double steadiness, boolean fleetHistory, int samplesBefore, int samplesAfter) {

    /** The shift in model units (log ratio for RATIO, metric units for DIFFERENCE) with its interval, in stage order. */
    public void addTo(Map<String, Double> evidence) {
        evidence.put("change.pValue", pValue);
        if (test != null) {
            RankTest.Interval shift = test.shift(alpha);
            evidence.put("change.shift", shift.estimate());
            evidence.put("change.shiftLow", shift.low());
            evidence.put("change.shiftHigh", shift.high());
        } else {
            evidence.put("change.rateChange", rateChange);
        }
        if (Double.isFinite(sst)) evidence.put("change.sst", sst);
        if (Double.isFinite(steadiness)) evidence.put("change.referenceSteadiness", steadiness);
        evidence.put("change.samplesBefore", (double) samplesBefore);
        evidence.put("change.samplesAfter", (double) samplesAfter);
    }
}
