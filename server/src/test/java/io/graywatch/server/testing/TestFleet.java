package io.graywatch.server.testing;

import io.graywatch.core.release.Instance;
import io.graywatch.core.release.ReleaseExecutor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * An in-memory fleet: a real executor whose instances switch version when deployed, and which
 * remembers every deploy it received, so tests can check that no action was repeated.
 */
public final class TestFleet implements ReleaseExecutor {
    public record Deploy(String app, List<String> instances, String version) {
    }

    private final Map<String, Map<String, String>> versions = new ConcurrentHashMap<>();
    private final List<Deploy> deploys = new ArrayList<>();
    private final Set<String> outOfTraffic = new HashSet<>();
    private final Set<String> failing = new HashSet<>();
    private final Set<String> dying = new HashSet<>();

    @Override
    public String name() {
        return "test-fleet";
    }

    /** Adds n instances named app-1 … app-n running the version. */
    public synchronized List<String> add(String app, int n, String version) {
        Map<String, String> m = versions.computeIfAbsent(app, k -> new LinkedHashMap<>());
        for (int i = 1; i <= n; i++) m.put(app + "-" + i, version);
        return List.copyOf(m.keySet());
    }

    @Override
    public synchronized List<Instance> instances(String app) {
        return versions.getOrDefault(app, Map.of()).entrySet().stream()
                .map(e -> new Instance(e.getKey(), e.getValue(), null)).toList();
    }

    @Override
    public synchronized void deploy(String app, List<String> instanceIds, String version) {
        if (failing.contains(app)) throw new IllegalStateException("host unreachable");
        Map<String, String> m = versions.get(app);
        for (String id : instanceIds) {
            if (m == null || !m.containsKey(id)) throw new IllegalArgumentException("no instance " + id);
        }
        instanceIds.forEach(id -> m.put(id, version));
        deploys.add(new Deploy(app, List.copyOf(instanceIds), version));
        if (dying.remove(app)) throw new ProcessDied();
    }

    @Override
    public synchronized void route(String app, List<String> instanceIds, boolean serving) {
        if (failing.contains(app)) throw new IllegalStateException("host unreachable");
        if (serving) instanceIds.forEach(outOfTraffic::remove);
        else outOfTraffic.addAll(instanceIds);
    }

    /** Instances taken out of user traffic (pre-release) and not put back. */
    public synchronized Set<String> outOfTraffic(String app) {
        return outOfTraffic.stream().filter(id -> id.startsWith(app + "-")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The next deploy to the app takes effect, then the server "dies" before it can record it done. */
    public synchronized void dieAfterNextDeploy(String app) {
        dying.add(app);
    }

    /** Stands for the server process being killed: nothing after the call runs. */
    public static final class ProcessDied extends Error {
        ProcessDied() {
            super("the server process was killed");
        }
    }

    /** While failing, every deploy and routing call to the app throws, as when its hosts are unreachable. */
    public synchronized void failing(String app, boolean fail) {
        if (fail) failing.add(app); else failing.remove(app);
    }

    public synchronized List<Deploy> deploys(String app) {
        return deploys.stream().filter(d -> d.app().equals(app)).toList();
    }

    public synchronized Map<String, String> versions(String app) {
        return Map.copyOf(versions.getOrDefault(app, Map.of()));
    }
}
