package io.graywatch.simulator.traffic;

import java.util.Objects;

/**
 * A NAB series played back at a chosen speed: one NAB point (five real minutes) every
 * {@code secondsPerPoint} seconds, linearly interpolated between points, as a factor around 1.0.
 */
public final class TrafficShape {
    private final NabSeries series;
    private final long startIndex;
    private final double secondsPerPoint;
    private final int smoothingPoints;

    /**
     * @param startIndex      the NAB point the playback starts at
     * @param smoothingPoints each point is the mean of this many consecutive NAB points (1 = the raw series)
     */
    public TrafficShape(NabSeries series, long startIndex, double secondsPerPoint, int smoothingPoints) {
        this.series = Objects.requireNonNull(series, "series");
        if (!(secondsPerPoint > 0) || Double.isInfinite(secondsPerPoint))
            throw new IllegalArgumentException("seconds per NAB point must be > 0, got " + secondsPerPoint);
        if (smoothingPoints < 1) throw new IllegalArgumentException("smoothing must cover at least 1 point, got " + smoothingPoints);
        this.startIndex = startIndex;
        this.secondsPerPoint = secondsPerPoint;
        this.smoothingPoints = smoothingPoints;
    }

    /** The factor {@code elapsedSeconds} after the playback started. */
    public double at(double elapsedSeconds) {
        double pos = elapsedSeconds / secondsPerPoint;
        long i = (long) Math.floor(pos);
        double f = pos - i;
        return (1 - f) * point(startIndex + i) + f * point(startIndex + i + 1);
    }

    /** The (smoothed) normalised NAB value at point i of the series. */
    public double point(long i) {
        double s = 0;
        for (int k = 0; k < smoothingPoints; k++) s += series.normalizedAt(i + k);
        return s / smoothingPoints;
    }

    public long startIndex() { return startIndex; }

    public double secondsPerPoint() { return secondsPerPoint; }

    public NabSeries series() { return series; }
}
