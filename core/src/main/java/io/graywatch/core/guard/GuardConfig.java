package io.graywatch.core.guard;

import io.graywatch.core.metric.MetricRole;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tunables of a guard. Build from {@link #defaults()} and the {@code with…} methods so that new
 * settings can be added without breaking callers.
 *
 * @param warmupSeconds          samples this long after an instance switches version are dropped (deploy warm-up)
 * @param historySeconds         how far before the release the guard looks for an instance's own past
 * @param dangerousExceptions    exception types that fail a release at once when new in the release group
 * @param voteK                  a suspicious metric fails when suspicious in voteK of the last voteN rounds
 * @param voteN                  see voteK
 * @param minTrafficPerInstance  below this many requests per second per instance there is too little to judge
 * @param successRateFloor       success rate (percent) under which the release fails at once
 * @param minSamples             fewer samples than this after the batch started is too little to judge
 * @param trimOutliers           drop samples outside 1.5 IQR before testing (Kayenta's option; off by default)
 * @param stages                 how the change and attribution stages judge each metric role (every role has an entry)
 * @param normalProfile          per metric name, the effect range seen in the app's normal releases (empty until learned)
 * @param strongAlpha            a metric suspicion whose change and attribution p-values are both below this, with
 *                               at least twice the metric's minimum effect, fails without waiting for the vote
 * @param afterWindowSeconds     only the latest this many seconds after the warm-up are compared with the baseline, so
 *                               that a ramp (a leak) is judged by where it is now and a blip that passed is forgotten
 * @param roundSeconds           a round every this many seconds (the app's analysis interval): the stages judge a sample
 *                               a round, so samples finer than that are averaged to it (see {@link #gridSeconds})
 */
public record GuardConfig(long warmupSeconds, long historySeconds, List<String> dangerousExceptions,
                          int voteK, int voteN, double minTrafficPerInstance, double successRateFloor,
                          int minSamples, boolean trimOutliers, Map<MetricRole, StageSettings> stages,
                          Map<String, NormalRange> normalProfile, double strongAlpha, long afterWindowSeconds, long roundSeconds) {

    public static final List<String> DEFAULT_DANGEROUS_EXCEPTIONS = List.of(
            "ClassNotFoundException", "NoClassDefFoundError", "NoSuchMethodError", "NoSuchFieldError",
            "AbstractMethodError", "IncompatibleClassChangeError", "ExceptionInInitializerError",
            "UnsatisfiedLinkError", "OutOfMemoryError", "StackOverflowError");

    public GuardConfig {
        dangerousExceptions = List.copyOf(dangerousExceptions);
        // null and 0 are what a JSON config written before these settings existed reads back as
        EnumMap<MetricRole, StageSettings> s = new EnumMap<>(DEFAULT_STAGES);
        if (stages != null) s.putAll(stages);
        stages = Collections.unmodifiableMap(s);
        normalProfile = normalProfile == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(normalProfile));
        if (strongAlpha == 0) strongAlpha = DEFAULT_STRONG_ALPHA;
        if (afterWindowSeconds == 0) afterWindowSeconds = DEFAULT_AFTER_WINDOW_SECONDS;
        if (roundSeconds == 0) roundSeconds = DEFAULT_ROUND_SECONDS;
        if (roundSeconds < 0) throw new IllegalArgumentException("roundSeconds must be positive, got " + roundSeconds);
        if (afterWindowSeconds < 0) throw new IllegalArgumentException("afterWindowSeconds must be positive, got " + afterWindowSeconds);
        if (!(strongAlpha > 0 && strongAlpha < 0.5)) throw new IllegalArgumentException("strongAlpha must be in (0, 0.5), got " + strongAlpha);
        if (voteK < 1 || voteN < voteK) throw new IllegalArgumentException("need 1 <= voteK <= voteN, got " + voteK + " of " + voteN);
        if (!(successRateFloor > 0 && successRateFloor < 100))
            throw new IllegalArgumentException("successRateFloorPercent must be above 0 and below 100, got " + successRateFloor);
        if (warmupSeconds < 0 || historySeconds < 0 || minSamples < 1)
            throw new IllegalArgumentException("warm-up and history must be >= 0 and minSamples >= 1");
    }

    /**
     * Rank tests for continuous values, rate tests for counts; relative changes for what scales with
     * load, differences for percentages; SST only where slow shape changes (leaks, ramps) are expected.
     */
    public static final Map<MetricRole, StageSettings> DEFAULT_STAGES = defaultStages();

    /** SST score of a shape change: the 99.5th percentile of scores of unchanged NAB series cut at random points. */
    public static final double SST_THRESHOLD = 0.95;

    public static final double DEFAULT_STRONG_ALPHA = 1e-6;

    public static final long DEFAULT_AFTER_WINDOW_SECONDS = 900;

    /** A round a minute, as the server guards by default. */
    public static final long DEFAULT_ROUND_SECONDS = 60;

    private static Map<MetricRole, StageSettings> defaultStages() {
        StageSettings ratio = new StageSettings(StageSettings.Test.RANK, StageSettings.Model.RATIO, 0.005, 0);
        StageSettings difference = new StageSettings(StageSettings.Test.RANK, StageSettings.Model.DIFFERENCE, 0.005, 0);
        EnumMap<MetricRole, StageSettings> m = new EnumMap<>(MetricRole.class);
        m.put(MetricRole.TRAFFIC, ratio);
        m.put(MetricRole.ERROR_RATE, difference);
        m.put(MetricRole.SUCCESS_RATE, difference);
        m.put(MetricRole.ERROR_COUNT, new StageSettings(StageSettings.Test.RATE, StageSettings.Model.DIFFERENCE, 0.005, 0));
        m.put(MetricRole.LATENCY, ratio);
        m.put(MetricRole.RESOURCE, ratio.withSstThreshold(SST_THRESHOLD));
        m.put(MetricRole.OTHER, ratio.withSstThreshold(SST_THRESHOLD));
        return Collections.unmodifiableMap(m);
    }

    /** Kept so that code written before the funnel's settings existed still compiles; new settings take their defaults. */
    public GuardConfig(long warmupSeconds, long historySeconds, List<String> dangerousExceptions, int voteK, int voteN,
                       double minTrafficPerInstance, double successRateFloor, int minSamples, boolean trimOutliers) {
        this(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor,
                minSamples, trimOutliers, DEFAULT_STAGES, Map.of(), DEFAULT_STRONG_ALPHA, DEFAULT_AFTER_WINDOW_SECONDS, DEFAULT_ROUND_SECONDS);
    }

    public static GuardConfig defaults() {
        return new GuardConfig(60, 3600, DEFAULT_DANGEROUS_EXCEPTIONS, 2, 3, 0.2, 90.0, 3, false);
    }

    public StageSettings stage(MetricRole role) {
        return stages.get(role);
    }

    public GuardConfig withWarmupSeconds(long v) {
        return new GuardConfig(v, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor, minSamples, trimOutliers, stages, normalProfile, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    public GuardConfig withHistorySeconds(long v) {
        return new GuardConfig(warmupSeconds, v, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor, minSamples, trimOutliers, stages, normalProfile, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    public GuardConfig withDangerousExceptions(List<String> v) {
        return new GuardConfig(warmupSeconds, historySeconds, v, voteK, voteN, minTrafficPerInstance, successRateFloor, minSamples, trimOutliers, stages, normalProfile, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    public GuardConfig withVote(int k, int n) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, k, n, minTrafficPerInstance, successRateFloor, minSamples, trimOutliers, stages, normalProfile, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    public GuardConfig withMinTrafficPerInstance(double v) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, v, successRateFloor, minSamples, trimOutliers, stages, normalProfile, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    public GuardConfig withSuccessRateFloor(double v) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, v, minSamples, trimOutliers, stages, normalProfile, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    public GuardConfig withMinSamples(int v) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor, v, trimOutliers, stages, normalProfile, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    public GuardConfig withTrimOutliers(boolean v) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor, minSamples, v, stages, normalProfile, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    public GuardConfig withStages(Map<MetricRole, StageSettings> v) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor, minSamples, trimOutliers, v, normalProfile, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    /** Replaces the settings of one role, keeping the others. */
    public GuardConfig withStage(MetricRole role, StageSettings v) {
        EnumMap<MetricRole, StageSettings> s = new EnumMap<>(stages);
        s.put(role, v);
        return withStages(s);
    }

    public GuardConfig withNormalProfile(Map<String, NormalRange> v) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor, minSamples, trimOutliers, stages, v, strongAlpha, afterWindowSeconds, roundSeconds);
    }

    public GuardConfig withStrongAlpha(double v) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor, minSamples, trimOutliers, stages, normalProfile, v, afterWindowSeconds, roundSeconds);
    }

    /** The sampling step the windows in seconds are set for: at it, the history holds an hour of samples and the after-window fifteen. */
    public static final long TUNED_STEP_SECONDS = 60;

    /**
     * The spacing of the samples the stages judge when the source's are {@code stepSeconds} apart: a round's, or the
     * step's when coarser. The stages count samples (three to judge, the warm-up one and the next, a spike fading by a
     * fifth a sample, a vote over rounds), which holds only at about a sample a round: 15 s scrapes judged a minute
     * apart would be three to judge in 45 s and a spike fading four times too slowly to be told from a step.
     */
    public long gridSeconds(long stepSeconds) {
        return Math.max(stepSeconds, roundSeconds);
    }

    /**
     * These settings for samples {@code stepSeconds} apart. What the stages need is counted in samples (a rank test's,
     * a baseline's noise, a decay's fit), while the history and the after-window are set in seconds for samples a minute
     * apart: with coarser samples (five-minute ones, as many stores keep) both stretch by the grid's ratio to a minute,
     * so that they hold as many samples as at a minute and a test is not left with four samples against twelve. The
     * warm-up is the process's, whatever the step.
     */
    public GuardConfig forStep(long stepSeconds) {
        long grid = gridSeconds(stepSeconds);
        if (grid <= TUNED_STEP_SECONDS) return this;
        return new GuardConfig(warmupSeconds, stretch(historySeconds, grid), dangerousExceptions, voteK, voteN, minTrafficPerInstance,
                successRateFloor, minSamples, trimOutliers, stages, normalProfile, strongAlpha, stretch(afterWindowSeconds, grid), roundSeconds);
    }

    private static long stretch(long seconds, long gridSeconds) {
        return Math.multiplyExact(seconds, gridSeconds) / TUNED_STEP_SECONDS;
    }

    public GuardConfig withRoundSeconds(long v) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor, minSamples, trimOutliers, stages, normalProfile, strongAlpha, afterWindowSeconds, v);
    }

    public GuardConfig withAfterWindowSeconds(long v) {
        return new GuardConfig(warmupSeconds, historySeconds, dangerousExceptions, voteK, voteN, minTrafficPerInstance, successRateFloor, minSamples, trimOutliers, stages, normalProfile, strongAlpha, v, roundSeconds);
    }
}
