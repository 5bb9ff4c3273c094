package io.graywatch.replay.generate;

/**
 * The knobs of a generated corpus. Same settings, same bytes.
 *
 * @param cases               how many cases
 * @param seed                the seed every random draw derives from; each case draws from its own stream, so a case does
 *                            not change when cases are added (only which cases are bad depends on the count)
 * @param badShare            share of cases labelled bad (default 0.5), picked by a seeded shuffle
 * @param singleInstanceShare share of single-instance before/after cases with no reference group (default 0.1)
 * @param replaceShare        share of cases that release by replacing instances with new ones, which have no history of
 *                            their own, instead of upgrading them in place (default 0.3); a single instance replaced is a
 *                            one-replica rollout: the old pod stops at the switch and a new one under another name serves
 * @param historyMinutes      minutes of history before the release starts (default 120)
 * @param goodTrapShare       share of good cases with at least one trap (default 0.75)
 * @param badTrapShare        share of bad cases that also carry a trap, so that a trap never means "good" (default 0.4)
 * @param lateOnsetShare      share of bad cases whose fault shows only from the second or third batch on (default 0.15); faults
 *                            that build up (leaks, ramps) always start with the first batch
 * @param stepSeconds         seconds between the samples written (default 60): releases are simulated minute by minute; a
 *                            coarser step keeps each metric's mean over its step, as a store that keeps five-minute points does,
 *                            a finer one splits each minute into scrapes (see {@code CaseGenerator.refined})
 * @param scrapeOffsets       whether each instance is scraped at its own offset into the minute rather than on it (see
 *                            {@code CaseGenerator.offset}); with a step of a minute only
 * @param naming              what the metrics are called in the corpus written: see {@link Naming}
 * @param faultMinutes        minutes a bad case's fault lasts from when it shows, after which its instances behave as
 *                            before (0, the default: until the release ends); a fault injected for a few minutes, as
 *                            chaos experiments inject them, rather than a release that stays broken
 * @param injected            whether the "release" is a fault injected into instances that keep running, as a fault-injection
 *                            experiment converted to a corpus has it: no restart, no deploy spike, no memory refilling, no new
 *                            version's benign changes or log lines, the same instance names before and after (default false)
 */
public record GeneratorSettings(int cases, long seed, double badShare, double singleInstanceShare, double replaceShare,
                                int historyMinutes, double goodTrapShare, double badTrapShare, double lateOnsetShare, long stepSeconds,
                                boolean scrapeOffsets, Naming naming, int faultMinutes, boolean injected) {
    /**
     * What the corpus calls its metrics: their own names ({@code rt_ms}, {@code success_rate}), or {@code metric_1}
     * and on in name order, as an anonymised export has them, with their units or without: kind and which way is
     * bad stay, and no role is written, so a reader must tell what each measures from what is left.
     */
    public enum Naming { NAMED, OPAQUE, OPAQUE_WITHOUT_UNITS }

    public GeneratorSettings {
        naming = naming == null ? Naming.NAMED : naming;
        if (cases < 1) throw new IllegalArgumentException("cases must be at least 1, got " + cases);
        if (cases > 99_999) throw new IllegalArgumentException("cases must be at most 99999, got " + cases);
        for (double share : new double[]{badShare, singleInstanceShare, replaceShare, goodTrapShare, badTrapShare, lateOnsetShare})
            if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("shares must be between 0 and 1, got " + share);
        if (historyMinutes < 10 || historyMinutes > 24 * 60) throw new IllegalArgumentException("historyMinutes must be 10 to 1440, got " + historyMinutes);
        boolean finer = stepSeconds >= 5 && stepSeconds < 60 && 60 % stepSeconds == 0;
        boolean coarser = stepSeconds >= 60 && stepSeconds <= 3600 && stepSeconds % 60 == 0;
        if (!finer && !coarser)
            throw new IllegalArgumentException("step must divide a minute (5, 6, 10, 12, 15, 20 or 30 s) or be whole minutes up to 3600 s "
                    + "(the simulation runs minute by minute), got " + stepSeconds);
        if (faultMinutes < 0) throw new IllegalArgumentException("faultMinutes must be 0 (until the release ends) or more, got " + faultMinutes);
        if (scrapeOffsets && stepSeconds != 60)
            throw new IllegalArgumentException("scrape offsets are written at a step of 60 s only, got a step of " + stepSeconds + " s");
    }

    public static GeneratorSettings of(int cases, long seed) {
        return new GeneratorSettings(cases, seed, 0.5, 0.1, 0.3, 120, 0.75, 0.4, 0.15, 60, false, Naming.NAMED, 0, false);
    }

    public GeneratorSettings withBadShare(double v) {
        return new GeneratorSettings(cases, seed, v, singleInstanceShare, replaceShare, historyMinutes, goodTrapShare, badTrapShare, lateOnsetShare, stepSeconds, scrapeOffsets, naming, faultMinutes, injected);
    }

    public GeneratorSettings withSingleInstanceShare(double v) {
        return new GeneratorSettings(cases, seed, badShare, v, replaceShare, historyMinutes, goodTrapShare, badTrapShare, lateOnsetShare, stepSeconds, scrapeOffsets, naming, faultMinutes, injected);
    }

    public GeneratorSettings withHistoryMinutes(int v) {
        return new GeneratorSettings(cases, seed, badShare, singleInstanceShare, replaceShare, v, goodTrapShare, badTrapShare, lateOnsetShare, stepSeconds, scrapeOffsets, naming, faultMinutes, injected);
    }

    public GeneratorSettings withStepSeconds(long v) {
        return new GeneratorSettings(cases, seed, badShare, singleInstanceShare, replaceShare, historyMinutes, goodTrapShare, badTrapShare, lateOnsetShare, v, scrapeOffsets, naming, faultMinutes, injected);
    }

    public GeneratorSettings withScrapeOffsets(boolean v) {
        return new GeneratorSettings(cases, seed, badShare, singleInstanceShare, replaceShare, historyMinutes, goodTrapShare, badTrapShare, lateOnsetShare, stepSeconds, v, naming, faultMinutes, injected);
    }

    public GeneratorSettings withNaming(Naming v) {
        return new GeneratorSettings(cases, seed, badShare, singleInstanceShare, replaceShare, historyMinutes, goodTrapShare, badTrapShare, lateOnsetShare, stepSeconds, scrapeOffsets, v, faultMinutes, injected);
    }

    public GeneratorSettings withInjected(boolean v) {
        return new GeneratorSettings(cases, seed, badShare, singleInstanceShare, replaceShare, historyMinutes, goodTrapShare, badTrapShare, lateOnsetShare, stepSeconds, scrapeOffsets, naming, faultMinutes, v);
    }

    public GeneratorSettings withFaultMinutes(int v) {
        return new GeneratorSettings(cases, seed, badShare, singleInstanceShare, replaceShare, historyMinutes, goodTrapShare, badTrapShare, lateOnsetShare, stepSeconds, scrapeOffsets, naming, v, injected);
    }
}
