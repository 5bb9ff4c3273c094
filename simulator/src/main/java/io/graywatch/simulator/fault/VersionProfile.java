package io.graywatch.simulator.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one version of the sample service behaves compared with a healthy one. A healthy version
 * has no fault: {@link #healthy(String)}.
 *
 * @param extraErrorPercent       percentage points of requests that fail with a 5xx on top of the base error rate
 * @param latencyFactor           every request's latency is multiplied by this (1 = unchanged)
 * @param extraLatencyMs          then this many milliseconds are added
 * @param cpuLeakPercentPerMinute CPU usage grows by this many percentage points per minute since start
 * @param memoryLeakMbPerMinute   used memory grows by this many MB per minute since start
 * @param trafficLossPercent      share of the instance's traffic that never reaches it
 * @param exceptions              exceptions this version writes to its log, beyond those every version writes
 */
public record VersionProfile(String version, double extraErrorPercent, double latencyFactor, double extraLatencyMs,
                             double cpuLeakPercentPerMinute, double memoryLeakMbPerMinute, double trafficLossPercent,
                             List<ExceptionFault> exceptions) {
    public VersionProfile {
        Objects.requireNonNull(version, "version");
        if (version.isBlank()) throw new IllegalArgumentException("version must not be blank");
        requireRange(version, "extraErrorPercent", extraErrorPercent, 0, 100);
        requireRange(version, "latencyFactor", latencyFactor, 1e-3, 1e3);
        requireRange(version, "extraLatencyMs", extraLatencyMs, 0, 600_000);
        requireRange(version, "cpuLeakPercentPerMinute", cpuLeakPercentPerMinute, 0, 100);
        requireRange(version, "memoryLeakMbPerMinute", memoryLeakMbPerMinute, 0, 1e6);
        requireRange(version, "trafficLossPercent", trafficLossPercent, 0, 100);
        exceptions = List.copyOf(exceptions);
    }

    private static void requireRange(String version, String name, double v, double min, double max) {
        if (!(v >= min && v <= max))
            throw new IllegalArgumentException("version " + version + ": " + name + " must be between " + min + " and " + max + ", got " + v);
    }

    public static VersionProfile healthy(String version) {
        return builder(version).build();
    }

    public static Builder builder(String version) {
        return new Builder(version);
    }

    public boolean isHealthy() {
        return extraErrorPercent == 0 && latencyFactor == 1 && extraLatencyMs == 0 && cpuLeakPercentPerMinute == 0
                && memoryLeakMbPerMinute == 0 && trafficLossPercent == 0 && exceptions.isEmpty();
    }

    public static final class Builder {
        private final String version;
        private double extraErrorPercent;
        private double latencyFactor = 1;
        private double extraLatencyMs;
        private double cpuLeakPercentPerMinute;
        private double memoryLeakMbPerMinute;
        private double trafficLossPercent;
        private final List<ExceptionFault> exceptions = new ArrayList<>();

        private Builder(String version) { this.version = version; }

        public Builder extraErrorPercent(double v) { extraErrorPercent = v; return this; }

        public Builder latencyFactor(double v) { latencyFactor = v; return this; }

        public Builder extraLatencyMs(double v) { extraLatencyMs = v; return this; }

        public Builder cpuLeakPercentPerMinute(double v) { cpuLeakPercentPerMinute = v; return this; }

        public Builder memoryLeakMbPerMinute(double v) { memoryLeakMbPerMinute = v; return this; }

        public Builder trafficLossPercent(double v) { trafficLossPercent = v; return this; }

        public Builder exception(ExceptionFault v) { exceptions.add(v); return this; }

        public VersionProfile build() {
            return new VersionProfile(version, extraErrorPercent, latencyFactor, extraLatencyMs, cpuLeakPercentPerMinute,
                    memoryLeakMbPerMinute, trafficLossPercent, exceptions);
        }
    }
}
