package io.graywatch.simulator.executor;

import io.graywatch.core.release.Instance;
import io.graywatch.core.release.ReleaseExecutor;
import io.graywatch.simulator.fleet.SimulatedFleet;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Releases onto simulated fleets on this host: a deploy restarts the instances on the new version. */
public final class SimulatorExecutor implements ReleaseExecutor {
    private final Map<String, SimulatedFleet> fleets = new LinkedHashMap<>();

    public SimulatorExecutor(SimulatedFleet... fleets) {
        this(List.of(fleets));
    }

    public SimulatorExecutor(Collection<SimulatedFleet> fleets) {
        for (SimulatedFleet f : fleets) {
            if (this.fleets.putIfAbsent(f.app(), f) != null) throw new IllegalArgumentException("two simulated fleets for app " + f.app());
        }
    }

    @Override
    public String name() { return "simulator"; }

    @Override
    public List<Instance> instances(String app) {
        return fleet(app).instances().stream().map(i -> new Instance(i.id(), i.version(), i.address())).toList();
    }

    /** Idempotent: instances already on the version are not restarted. Unknown instances or versions change nothing. */
    @Override
    public void deploy(String app, List<String> instanceIds, String version) {
        fleet(app).deploy(instanceIds, version);
    }

    @Override
    public void route(String app, List<String> instanceIds, boolean serving) {
        fleet(app).route(instanceIds, serving);
    }

    private SimulatedFleet fleet(String app) {
        SimulatedFleet f = fleets.get(app);
        if (f == null) throw new IllegalArgumentException("the simulator runs no app " + app + "; it runs " + fleets.keySet());
        return f;
    }
}
