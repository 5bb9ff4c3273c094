package io.graywatch.simulator.fleet;

import io.graywatch.simulator.fault.ExceptionFault;
import io.graywatch.simulator.fault.VersionProfile;
import io.graywatch.simulator.logs.ShopLog;
import io.graywatch.simulator.traffic.NabSeries;
import io.graywatch.simulator.traffic.TrafficShape;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N instances of one app of the sample shop service on this host ({@code shop-1} .. {@code shop-8}),
 * each with its own port, Prometheus endpoint and log file {@code <logDir>/<instance>.log}. The
 * fleet's total request rate follows a real NAB series scaled to {@code fleetRequestsPerSecond};
 * the instances share it with small differences and noise of their own.
 *
 * <pre>{@code
 * SimulatedFleet fleet = SimulatedFleet.builder("shop").logDir(dir)
 *         .version(VersionProfile.healthy("v2"))
 *         .version(VersionProfile.builder("v3").extraErrorPercent(5).exception(cnfe).build())
 *         .build().start();
 * }</pre>
 */
public final class SimulatedFleet implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SimulatedFleet.class.getName());

    static {
        // The JDK server writes headers and body apart; without TCP_NODELAY every small page waits
        // for the client's delayed ACK (40 ms on Linux). Read once, when the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Settings settings;
    private final Map<String, VersionProfile> versions;
    private final String initialVersion;
    private final Map<String, SimulatedInstance> instances = new LinkedHashMap<>();
    private ExecutorService http;
    private ScheduledExecutorService ticker;

    private SimulatedFleet(Settings settings, Map<String, VersionProfile> versions, String initialVersion) {
        this.settings = settings;
        this.versions = versions;
        this.initialVersion = initialVersion;
    }

    public static Builder builder(String app) {
        return new Builder(app);
    }

    /** Binds every instance to a free port on 127.0.0.1, writes their start-up logs and, unless ticking by hand, starts the load. */
    public synchronized SimulatedFleet start() {
        if (http != null) throw new IllegalStateException("fleet " + settings.app() + " is already started");
        AtomicInteger threads = new AtomicInteger();
        http = Executors.newFixedThreadPool(Math.max(2, Math.min(8, settings.instances())), r -> daemon(r, "fleet-" + settings.app() + "-http-" + threads.incrementAndGet()));
        long now = settings.clock().millis();
        Random weights = new Random(settings.seed());
        double[] w = new double[settings.instances()];
        double sum = 0;
        for (int i = 0; i < w.length; i++) sum += w[i] = Math.max(0.8, Math.min(1.2, 1 + 0.05 * weights.nextGaussian()));
        try {
            for (int i = 0; i < w.length; i++) {
                String id = settings.app() + "-" + (i + 1);
                instances.put(id, new SimulatedInstance(id, i, settings, versions.get(initialVersion), w[i] * w.length / sum, now, http));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot start fleet " + settings.app(), e);
        }
        instances.values().forEach(SimulatedInstance::startServing);
        if (settings.autoTick()) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fleet-" + settings.app() + "-tick"));
            ticker.scheduleAtFixedRate(this::tickQuietly, settings.tickMillis(), settings.tickMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            // a failed tick (a full disk, say) must not stop the next ones
            LOG.log(System.Logger.Level.WARNING, "fleet " + settings.app() + ": tick failed", e);
        }
    }

    /** Simulates every instance up to the clock's now; called by the fleet's own timer unless built with {@code autoTick(false)}. */
    public void tick() {
        for (SimulatedInstance i : instances()) i.tick();
    }

    public String app() { return settings.app(); }

    public synchronized List<SimulatedInstance> instances() {
        return List.copyOf(instances.values());
    }

    public synchronized SimulatedInstance instance(String id) {
        SimulatedInstance i = instances.get(id);
        if (i == null) throw new IllegalArgumentException("app " + settings.app() + " has no instance " + id + "; it has " + instances.keySet());
        return i;
    }

    /** The versions this fleet can run, by name. */
    public Map<String, VersionProfile> versions() { return versions; }

    public Path logDir() { return settings.logDir(); }

    /**
     * Restarts the given instances on the version. Instances that already run it are left alone.
     * Every id and the version are checked before anything changes.
     *
     * @return the ids that were restarted
     */
    public List<String> deploy(Collection<String> ids, String version) {
        VersionProfile profile = versions.get(version);
        if (profile == null) throw new IllegalArgumentException("app " + settings.app() + " has no version " + version + "; it has " + versions.keySet());
        List<SimulatedInstance> targets = new ArrayList<>();
        for (String id : ids) targets.add(instance(id));
        List<String> restarted = new ArrayList<>();
        for (SimulatedInstance i : targets) if (i.deploy(profile)) restarted.add(i.id());
        return restarted;
    }

    /** Takes the given instances out of user traffic or puts them back; unknown ids change nothing. */
    public void route(Collection<String> ids, boolean serving) {
        List<SimulatedInstance> targets = new ArrayList<>();
        for (String id : ids) targets.add(instance(id));
        targets.forEach(i -> i.route(serving));
    }

    @Override
    public synchronized void close() {
        if (ticker != null) ticker.shutdownNow();
        instances.values().forEach(SimulatedInstance::stop);
        if (http != null) http.shutdownNow();
    }

    public static final class Builder {
        private final String app;
        private int instances = 8;
        private Path logDir;
        private final Map<String, VersionProfile> versions = new LinkedHashMap<>();
        private String initialVersion = "v1";
        private double fleetRequestsPerSecond = 400;
        private String trafficSeries = "realAWSCloudwatch/elb_request_count_8c0756.csv";
        private double secondsPerNabPoint = 10;
        private long nabStartIndex;
        private int nabSmoothingPoints = 1;
        private String cpuSeries;
        private Duration tick = Duration.ofMillis(200);
        private Duration warmUp = Duration.ofSeconds(5);
        private double warmUpLatencyFactor = 3;
        private Duration startup = Duration.ofSeconds(3);
        private double baseErrorPercent = 0.2;
        private double baseLatencyMs = 40;
        private List<ExceptionFault> baselineExceptions = List.of(ShopLog.FLAKY);
        private long seed = 42;
        private Clock clock = Clock.systemDefaultZone();
        private boolean autoTick = true;

        private Builder(String app) {
            Objects.requireNonNull(app, "app");
            if (!app.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))
                throw new IllegalArgumentException("app name '" + app + "' must be letters, digits, '.', '_' or '-'");
            this.app = app;
        }

        /** Number of instances (default 8), named {@code <app>-1} .. {@code <app>-N}. */
        public Builder instances(int v) { instances = v; return this; }

        /** Folder of the log files, {@code <logDir>/<instance>.log} (required). */
        public Builder logDir(Path v) { logDir = v; return this; }

        /** Adds a version the fleet can be deployed to. */
        public Builder version(VersionProfile v) { versions.put(v.version(), v); return this; }

        /** The version every instance runs at start (default {@code v1}); healthy unless registered with {@link #version}. */
        public Builder initialVersion(String v) { initialVersion = v; return this; }

        /** Mean total request rate of the fleet (default 400 req/s). */
        public Builder fleetRequestsPerSecond(double v) { fleetRequestsPerSecond = v; return this; }

        /** The bundled NAB series the traffic follows (default {@code realAWSCloudwatch/elb_request_count_8c0756.csv}). */
        public Builder trafficSeries(String v) { trafficSeries = v; return this; }

        /** Real seconds per NAB point (five minutes of the original; default 10). */
        public Builder secondsPerNabPoint(double v) { secondsPerNabPoint = v; return this; }

        /** The NAB point the playback starts at (default 0). */
        public Builder nabStartIndex(long v) { nabStartIndex = v; return this; }

        /** Each traffic point is the mean of this many NAB points (default 1: the raw series). */
        public Builder nabSmoothingPoints(int v) { nabSmoothingPoints = v; return this; }

        /** A bundled NAB CPU series that shapes CPU usage; by default CPU follows each instance's traffic. */
        public Builder cpuSeries(String v) { cpuSeries = v; return this; }

        /** How often the load is simulated (default 200 ms). */
        public Builder tick(Duration v) { tick = v; return this; }

        /** How long latency stays raised after a (re)start (default 5 s), and by how much at first (default 3x). */
        public Builder warmUp(Duration v, double latencyFactor) { warmUp = v; warmUpLatencyFactor = latencyFactor; return this; }

        /** How long a restart takes, during which the instance answers 503 (default 3 s, varied by ±20%). */
        public Builder startup(Duration v) { startup = v; return this; }

        /** Error rate of a healthy version (default 0.2%). */
        public Builder baseErrorPercent(double v) { baseErrorPercent = v; return this; }

        /** Median latency of a healthy version (default 40 ms, log-normal). */
        public Builder baseLatencyMs(double v) { baseLatencyMs = v; return this; }

        /** Exceptions every version logs (default: one flaky inventory timeout a minute). */
        public Builder baselineExceptions(List<ExceptionFault> v) { baselineExceptions = List.copyOf(v); return this; }

        /** Seed of every random draw (default 42). */
        public Builder seed(long v) { seed = v; return this; }

        /** The clock of metrics and logs (default: the system clock in the default zone; log times are in its zone). */
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }

        /** False to simulate only when {@link SimulatedFleet#tick()} is called (tests with a hand-moved clock). Default true. */
        public Builder autoTick(boolean v) { autoTick = v; return this; }

        public SimulatedFleet build() {
            if (instances < 1 || instances > 1000) throw new IllegalArgumentException("a fleet needs 1 to 1000 instances, got " + instances);
            if (logDir == null) throw new IllegalArgumentException("fleet " + app + " needs a log folder: logDir(path)");
            if (!(fleetRequestsPerSecond >= 0) || Double.isInfinite(fleetRequestsPerSecond))
                throw new IllegalArgumentException("fleet request rate must be >= 0, got " + fleetRequestsPerSecond);
            if (tick.toMillis() < 1) throw new IllegalArgumentException("tick must be at least 1 ms, got " + tick);
            if (warmUp.isNegative() || startup.isNegative()) throw new IllegalArgumentException("warm-up and start-up must not be negative");
            if (!(warmUpLatencyFactor >= 1)) throw new IllegalArgumentException("warm-up latency factor must be >= 1, got " + warmUpLatencyFactor);
            if (!(baseErrorPercent >= 0 && baseErrorPercent <= 100)) throw new IllegalArgumentException("base error percent must be 0..100, got " + baseErrorPercent);
            if (!(baseLatencyMs > 0)) throw new IllegalArgumentException("base latency must be > 0 ms, got " + baseLatencyMs);
            Map<String, VersionProfile> v = new LinkedHashMap<>();
            if (!versions.containsKey(initialVersion)) v.put(initialVersion, VersionProfile.healthy(initialVersion));
            v.putAll(versions);
            TrafficShape traffic = new TrafficShape(NabSeries.load(trafficSeries), nabStartIndex, secondsPerNabPoint, nabSmoothingPoints);
            TrafficShape cpu = cpuSeries == null ? null : new TrafficShape(NabSeries.load(cpuSeries), nabStartIndex, secondsPerNabPoint, nabSmoothingPoints);
            Settings s = new Settings(app, instances, logDir, fleetRequestsPerSecond, traffic, cpu, tick.toMillis(), warmUp.toMillis(),
                    warmUpLatencyFactor, startup.toMillis(), baseErrorPercent, baseLatencyMs, baselineExceptions, seed, clock, autoTick);
            return new SimulatedFleet(s, Collections.unmodifiableMap(v), initialVersion);
        }
    }
}
