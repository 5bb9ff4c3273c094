package io.graywatch.simulator.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.graywatch.simulator.fault.ExceptionFault;
import io.graywatch.simulator.fault.VersionProfile;
import io.graywatch.simulator.logs.InstanceLog;
import io.graywatch.simulator.logs.LogEvent;
import io.graywatch.simulator.logs.ShopLog;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One process of the sample shop service: an HTTP server on 127.0.0.1 serving {@code /api/orders},
 * {@code /health} and {@code /metrics}, whose simulated load is drawn tick by tick from a seeded
 * random source, and which writes its own log file.
 */
public final class SimulatedInstance {
    /** Time constant with which simulated CPU follows its target (load, warm-up, leak). */
    static final double CPU_SETTLE_SECONDS = 2.0;

    private static final double MIB = 1024 * 1024;
    private static final double LATENCY_SIGMA = 0.45;
    private static final long MAX_REAL_CALL_SLEEP_MS = 5000;

    private final String id;
    private final Settings settings;
    private final double trafficWeight;
    private final long fleetStartMillis;
    private final Random rng;
    private final InstanceLog log;
    private final HttpServer server;

    // everything below changes under the instance's lock
    private VersionProfile profile;
    private InstanceMetrics metrics;
    private long startMillis;
    private long readyMillis;
    private long lastTickMillis;
    private double trafficNoise;
    private boolean serving = true;
    private double cpu;
    private double reportedCpu;
    private double oldGenMb;
    private double edenMb;
    private double nonHeapMb;
    private final List<LogEvent> pending = new ArrayList<>();

    SimulatedInstance(String id, int index, Settings settings, VersionProfile profile, double trafficWeight,
                      long fleetStartMillis, Executor httpExecutor) throws IOException {
        this.id = id;
        this.settings = settings;
        this.profile = profile;
        this.trafficWeight = trafficWeight;
        this.fleetStartMillis = fleetStartMillis;
        this.rng = new Random(settings.seed() * 1_000_003L + index);
        this.log = new InstanceLog(settings.logDir().resolve(id + ".log"), settings.clock().getZone());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(httpExecutor);
        server.createContext("/metrics", ex -> page(ex, "text/plain; version=0.0.4; charset=utf-8", this::metricsPage));
        server.createContext("/health", ex -> page(ex, "application/json", this::healthPage));
        server.createContext("/api/orders", this::orders);
        server.createContext("/", ex -> send(ex, 404, "text/plain", "no such page; try /api/orders, /health or /metrics\n"));
        boot(fleetStartMillis, fleetStartMillis);
        log.write(ShopLog.startup(fleetStartMillis, drawStartupMillis(), profile.version(), pid()));
        lastTickMillis = fleetStartMillis;
    }

    void startServing() {
        server.start();
    }

    void stop() {
        server.stop(0);
        log.close();
    }

    public String id() { return id; }

    public int port() { return server.getAddress().getPort(); }

    /** Where the instance is reached and scraped: {@code 127.0.0.1:port}. */
    public String address() { return server.getAddress().getAddress().getHostAddress() + ":" + port(); }

    public synchronized String version() { return profile.version(); }

    /** When the current process started (changes at every deploy), in Unix milliseconds. */
    public synchronized long startMillis() { return startMillis; }

    public Path logFile() { return log.file(); }

    /** Restarts on the version; false (and nothing happens) when it already runs it. */
    synchronized boolean deploy(VersionProfile next) {
        if (next.version().equals(profile.version())) return false;
        long now = settings.clock().millis();
        advance(now);
        List<LogEvent> events = new ArrayList<>(ShopLog.shutdown(now));
        profile = next;
        long startup = drawStartupMillis();
        boot(now, now + startup);
        events.addAll(ShopLog.startup(now + startup, startup, next.version(), pid()));
        log.write(events);
        return true;
    }

    private long drawStartupMillis() {
        return Math.round(settings.startupMillis() * (0.8 + 0.4 * rng.nextDouble()));
    }

    private long pid() {
        return 20_000 + rng.nextInt(40_000);
    }

    /** A new process: counters from zero, fresh heap, JIT still cold. */
    private void boot(long start, long ready) {
        startMillis = start;
        readyMillis = ready;
        metrics = new InstanceMetrics();
        cpu = 0.35;
        reportedCpu = cpu;
        oldGenMb = 190 + 30 * rng.nextDouble();
        edenMb = 0;
        nonHeapMb = 110 + 10 * rng.nextDouble();
    }

    /** Out of user traffic (a pre-release instance) or back in it. */
    synchronized void route(boolean serving) {
        advance(settings.clock().millis());
        this.serving = serving;
    }

    public synchronized boolean serving() { return serving; }

    /** Simulates the traffic, resources and logs up to the clock's now. */
    synchronized void tick() {
        advance(settings.clock().millis());
    }

    private void advance(long now) {
        if (now <= lastTickMillis) return;
        long from = Math.max(lastTickMillis, readyMillis);
        lastTickMillis = now;
        if (now <= from) return;
        double dt = (now - from) / 1000.0;
        List<LogEvent> events = new ArrayList<>(pending);
        pending.clear();

        double meanRate = settings.fleetRequestsPerSecond() / settings.instances();
        double shape = settings.traffic().at((from + now) / 2000.0 - fleetStartMillis / 1000.0);
        double rho = Math.exp(-dt / 30.0);
        trafficNoise = trafficNoise * rho + Math.sqrt(1 - rho * rho) * 0.05 * rng.nextGaussian();
        double rate = serving ? meanRate * shape * trafficWeight * Math.exp(trafficNoise) * (1 - profile.trafficLossPercent() / 100) : 0;
        int n = Draws.poisson(rng, rate * dt);
        for (int i = 0; i < n; i++) {
            long t = Draws.within(rng, from, now);
            serve(t, events);
        }

        double load = settings.cpuShape() == null ? rate / meanRate : settings.cpuShape().at(now / 1000.0 - fleetStartMillis / 1000.0);
        double minutes = (now - startMillis) / 60_000.0;
        double target = 0.06 + 0.22 * load + profile.cpuLeakPercentPerMinute() / 100 * minutes + 0.25 * warmUpLeft(now);
        // CPU settles on its target within a couple of seconds: a 5 s lag carried the start-up burst (warm-up term and
        // all) a dozen seconds past the demo's 8 s warm-up window, which, while the demo's day fell, a batch's first
        // judgement read as the release's CPU ("+15%") and paused the healthy release about one demo run in three
        cpu += (target - cpu) * (1 - Math.exp(-dt / CPU_SETTLE_SECONDS));
        reportedCpu = clamp(cpu + 0.01 * rng.nextGaussian(), 0, 1);
        edenMb += 0.04 * n + 0.2 * dt;
        if (edenMb > 64) {
            edenMb = 4 * rng.nextDouble();
            oldGenMb = clamp(oldGenMb + rng.nextGaussian(), 180, 240);
        }
        nonHeapMb = clamp(nonHeapMb + 0.05 * rng.nextGaussian(), 100, 130);

        List<ExceptionFault> faults = new ArrayList<>(settings.baselineExceptions());
        // a version's faults are thrown while serving requests: an instance without users does not hit them
        if (serving) faults.addAll(profile.exceptions());
        for (ExceptionFault f : faults)
            for (int k = Draws.poisson(rng, f.perSecond() * dt); k > 0; k--) events.add(ShopLog.exception(f, Draws.within(rng, from, now), rng));
        for (ShopLog.Background b : ShopLog.BACKGROUND)
            for (int k = Draws.poisson(rng, b.perSecond() * dt); k > 0; k--) events.add(ShopLog.background(b, Draws.within(rng, from, now), rng));
        log.write(events);
    }

    /** One request at moment t: counted, and now and then logged. Returns its latency, negative when it failed. */
    private double serve(long t, List<LogEvent> events) {
        boolean failed = rng.nextDouble() * 100 < settings.baseErrorPercent() + profile.extraErrorPercent();
        double latency = settings.baseLatencyMs() * Math.exp(LATENCY_SIGMA * rng.nextGaussian())
                * profile.latencyFactor() * (1 + (settings.warmUpLatencyFactor() - 1) * warmUpLeft(t)) + profile.extraLatencyMs();
        metrics.record(failed, latency);
        if (failed && rng.nextDouble() < ShopLog.ERROR_PER_FAILED_REQUEST) events.add(ShopLog.failedRequest(t, latency, rng));
        else if (!failed && rng.nextDouble() < ShopLog.INFO_PER_REQUEST) events.add(ShopLog.request(t, latency, rng));
        return failed ? -latency : latency;
    }

    /** 1 right after the instance became ready, falling linearly to 0 at the end of the warm-up. */
    private double warmUpLeft(long t) {
        if (t < readyMillis) return 1;
        if (settings.warmUpMillis() <= 0) return 0;
        return clamp(1 - (t - readyMillis) / (double) settings.warmUpMillis(), 0, 1);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private synchronized boolean starting() {
        return settings.clock().millis() < readyMillis;
    }

    private synchronized String metricsPage() {
        return metrics.render(reportedCpu, (oldGenMb + edenMb + profile.memoryLeakMbPerMinute() * (lastTickMillis - startMillis) / 60_000.0) * MIB,
                nonHeapMb * MIB, startMillis / 1000.0, profile.version());
    }

    private synchronized String healthPage() {
        return "{\"status\":\"UP\",\"instance\":\"" + id + "\",\"version\":\"" + json(profile.version()) + "\",\"startTimeMillis\":" + startMillis + "}";
    }

    /** A real call to the sample API: served like a simulated one, and as slow as it was drawn. */
    private void orders(HttpExchange ex) throws IOException {
        if (starting()) {
            send(ex, 503, "application/json", "{\"error\":\"starting\"}");
            return;
        }
        double latency;
        String version;
        synchronized (this) {
            latency = serve(settings.clock().millis(), pending);
            version = profile.version();
        }
        try {
            Thread.sleep(Math.min(MAX_REAL_CALL_SLEEP_MS, Math.round(Math.abs(latency))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (latency < 0) {
            send(ex, 500, "application/json", "{\"error\":\"internal error\",\"version\":\"" + json(version) + "\"}");
        } else {
            send(ex, 200, "application/json", "{\"version\":\"" + json(version) + "\",\"orders\":[{\"id\":81723,\"total\":42.5},{\"id\":81724,\"total\":17.0}]}");
        }
    }

    /** While the process starts, nothing answers but a 503, as behind a real readiness check. */
    private void page(HttpExchange ex, String type, Supplier<String> body) throws IOException {
        if (starting()) send(ex, 503, "text/plain", "starting\n");
        else send(ex, 200, type, body.get());
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
