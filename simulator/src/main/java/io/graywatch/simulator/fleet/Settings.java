package io.graywatch.simulator.fleet;

import io.graywatch.simulator.fault.ExceptionFault;
import io.graywatch.simulator.traffic.TrafficShape;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A fleet's fixed settings, as its builder resolved them. */
record Settings(String app, int instances, Path logDir, double fleetRequestsPerSecond, TrafficShape traffic,
                TrafficShape cpuShape, long tickMillis, long warmUpMillis, double warmUpLatencyFactor, long startupMillis,
                double baseErrorPercent, double baseLatencyMs, List<ExceptionFault> baselineExceptions, long seed,
                Clock clock, boolean autoTick) {
}
