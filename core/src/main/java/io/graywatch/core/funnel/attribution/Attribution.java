package io.graywatch.core.funnel.attribution;

import java.util.Map;

/**
 * What the attribution stage concluded for one metric that changed.
 *
 * @param control    what the release group was compared with
 * @param confidence 1 with a reference group; lower when history had to stand in for it
 * @param did        the difference-in-differences estimate in the metric's model units
 * @param effect     the release's effect relative to the release group's level (signed; 0.25 = +25%)
 * @param effectAbs  the release's effect in the metric's unit (signed)
 * @param recent     the effect in the latest {@code minSamples} samples, relative like {@code effect} (NaN for counts)
 * @param sizeOk     whether the effect, and the recent one, are in the bad direction and at least the metric's minimum
 */
public record Attribution(boolean attributed, Control control, double confidence, double pValue, double did,
                          double low, double high, double effect, double effectAbs, double recent, boolean sizeOk) {

    public enum Control {
        /** Release group vs reference group, before vs after: a change that hits both cancels out. */
        REFERENCE(1.0, 1.0, "reference"),
        /** The released instances have no history (replacement pods): after vs the reference group only. */
        REFERENCE_ONLY(0.8, 1.0, "reference, no history"),
        /** No reference group: the same instances at the same time of day, one day earlier. */
        YESTERDAY(0.75, 0.4, "same time yesterday"),
        /** No reference group and no day-old history: before vs after only. */
        HISTORY(0.5, 0.3, "own history only");

        public final double confidence;
        /**
         * The share of the stage's alpha this control is held to: a weaker control cannot cancel a
         * surge, a dip or the time of day, so it needs stronger evidence before the release is blamed.
         */
        public final double alphaShare;
        public final String label;

        Control(double confidence, double alphaShare, String label) {
            this.confidence = confidence;
            this.alphaShare = alphaShare;
            this.label = label;
        }
    }

    public void addTo(Map<String, Double> evidence) {
        evidence.put("did.pValue", pValue);
        evidence.put("did", did);
        if (Double.isFinite(low)) evidence.put("did.low", low);
        if (Double.isFinite(high)) evidence.put("did.high", high);
        evidence.put("confidence", confidence);
        evidence.put("effect", effect);
        evidence.put("effectAbs", effectAbs);
        if (Double.isFinite(recent)) evidence.put("effectRecent", recent);
    }
}
