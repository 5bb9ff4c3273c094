package io.graywatch.replay.generate;

import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.RoundGrid;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.replay.corpus.ReleaseCase;
import io.graywatch.simulator.traffic.NabSeries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes one labelled release case. The background is real: the app's traffic follows a bundled
 * NAB series (a random stretch, time-stretched and damped per case), each instance's CPU carries
 * the texture of another NAB series, and latency the texture of NAB's request-latency series;
 * on top come per-instance biases and noise (Poisson counts, log-normal latency, GC sawtooth
 * memory), deploy restarts with their warm-up, and background error lines and exceptions.
 * A bad case gets one fault on the released instances, of random kind and intensity (some subtle,
 * some obvious); good and bad cases alike may carry traps. See {@link Fault} and {@link Trap}.
 */
final class CaseGenerator {
    /** What is wrong with a bad release; it hits the instances on the new version from its onset. */
    enum Fault {
        /** error share up by 1–25 percentage points (5–40 at low traffic) */
        ERROR_STEP,
        /** latency ×1.3–4 */
        LATENCY,
        /**
         * memory grows steadily from the switch, by 20–150% of its level on the first batch's instances by the end of the
         * release: slow enough that the first rounds cannot see it, never so slow that the release ends before it shows
         */
        MEMORY_LEAK,
        /** CPU climbs 0.4–3 points a minute, or steps up 25–150% of its busy part */
        CPU_RAMP,
        /** the released instances get 40–100% less traffic */
        TRAFFIC_LOSS,
        /** an exception group absent before (a linkage error, an NPE at an app frame, …) at 0.3–20 a minute per instance */
        NEW_EXCEPTION,
        /** an exception group already present fires 4–40 times as often */
        EXCEPTION_SURGE,
        /** the business KPI falls by 25–90% */
        KPI_DROP
    }

    /** Something that looks wrong and is not the release's fault (or, in a bad case, muddies the picture). */
    enum Trap {
        /** traffic ×1.5–3 on every instance, starting within minutes of the first batch, for 10–40 min (load lifts latency and CPU) */
        GLOBAL_SURGE,
        /** traffic ×0.3–0.7 on every instance likewise */
        GLOBAL_DIP,
        /** an upstream incident: errors up 1–8 points and latency ×1.3–2.5 on every instance for 5–15 min around a batch */
        UPSTREAM_INCIDENT,
        /** strong deploy warm-up: latency ×2.5–5, CPU +20–45 points, errors, decaying over 1–3 min, sometimes a startup exception */
        WARMUP_SPIKE,
        /** an exception (sometimes of a "dangerous" type) that fires in bursts on every instance, before and after the release */
        FLAKY_EXCEPTION,
        /** 0.05–0.5 requests per second per instance */
        LOW_TRAFFIC,
        /** 3–25% of samples absent or NaN, sometimes a scrape outage on one instance, sometimes a metric never scraped on one */
        MISSING_DATA,
        /** one instance of the reference group is slow, erratic and error-prone, before and after */
        NOISY_REFERENCE,
        /** the new version is slightly different within any meaningful effect (latency −15%…+5%, CPU −10%…+6%, …) */
        BENIGN_CHANGE,
        /** the new version logs a new harmless WARN line */
        NEW_WARN_LINE
    }

    /** One generated case with what the generator put in it (for analysis, not part of the corpus format). */
    record Generated(ReleaseCase releaseCase, Label label, Fault fault, double intensity, List<Trap> traps) {
    }

    static final long STEP = 60;
    private static final long EPOCH = 1_704_067_200L; // 2024-01-01T00:00:00Z
    private static final List<String> APPS = List.of("cartservice", "checkout", "adservice", "catalog", "payments", "search", "shipping", "profile",
            "inventory", "recommend", "gateway", "billing", "reviews", "accounts", "pricing", "coupons");
    private static final List<String> TRAFFIC_SHAPES = List.of("realAWSCloudwatch/elb_request_count_8c0756.csv", "realAWSCloudwatch/ec2_network_in_257a54.csv",
            "realAWSCloudwatch/ec2_network_in_5abac7.csv", "realAWSCloudwatch/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv", "realAWSCloudwatch/grok_asg_anomaly.csv",
            "realAWSCloudwatch/ec2_disk_write_bytes_1ef3de.csv", "realAWSCloudwatch/ec2_disk_write_bytes_c0d644.csv");
    private static final List<String> CPU_SHAPES = List.of("realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv", "realAWSCloudwatch/ec2_cpu_utilization_53ea38.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv", "realAWSCloudwatch/ec2_cpu_utilization_77c1ca.csv", "realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_ac20cd.csv", "realAWSCloudwatch/ec2_cpu_utilization_c6585a.csv", "realAWSCloudwatch/ec2_cpu_utilization_fe7f93.csv",
            "realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv", "realAWSCloudwatch/rds_cpu_utilization_e47b3b.csv",
            "realKnownCause/cpu_utilization_asg_misconfiguration.csv");
    private static final String LATENCY_SHAPE = "realKnownCause/ec2_request_latency_system_failure.csv";
    private static final Map<String, NabSeries> NAB = new ConcurrentHashMap<>();
    private static final Stacks.Kind STARTUP = new Stacks.Kind("ConnectException", false, true);

    private CaseGenerator() {
    }

    private static NabSeries nab(String name) { return NAB.computeIfAbsent(name, NabSeries::load); }

    /** A NAB series read between its points, stretched over {@code minutesPerPoint}, as a shape around 1. */
    private record Shape(NabSeries series, long offset, double minutesPerPoint, double amplitude) {
        double at(int minute) {
            double x = offset + minute / minutesPerPoint;
            long i = (long) Math.floor(x);
            double f = x - i;
            double v = series.normalizedAt(i) * (1 - f) + series.normalizedAt(i + 1) * f;
            return 1 + amplitude * (Math.min(3, Math.max(0.2, v)) - 1);
        }

        static Shape random(String name, Rng rng, double minAmp, double maxAmp) {
            NabSeries s = nab(name);
            return new Shape(s, rng.integer(0, s.length() - 1), rng.pick(List.of(1.0, 2.0, 5.0, 5.0)), rng.uniform(minAmp, maxAmp));
        }
    }

    /** One place in the fleet: an instance upgraded in place, or an old instance and the new one that replaces it. */
    private static final class Slot {
        String oldId, newId;
        long releaseAt = Long.MAX_VALUE;
        int downMinutes;
        double share, latBias, errBias, idleCpu, busyCpu, mem, memTau, gcPeriod, gcPhase, latSigma, cpuTexAmp;
        Shape cpuTex;
        boolean noisy;
        int outageFrom = -1, outageTo = -1;
        String neverScraped;
    }

    static Generated generate(GeneratorSettings settings, int index, boolean bad) {
        Rng rng = new Rng(Rng.caseSeed(settings.seed(), index));
        String id = String.format(Locale.ROOT, "case-%05d", index + 1);
        String app = rng.pick(APPS);
        boolean single = rng.chance(settings.singleInstanceShare());
        // a single instance replaced is a one-replica rollout; drawn from a stream of its own, so that a seed's
        // single-instance cases upgraded in place keep every draw they had before such rollouts were generated
        boolean replace = single ? new Rng(Rng.caseSeed(settings.seed(), index) ^ REPLACE_SALT).chance(settings.replaceShare())
                : rng.chance(settings.replaceShare());
        // a fault injected into running instances replaces none of them (drawn all the same: the other draws stay aligned)
        boolean injected = settings.injected();
        if (injected) replace = false;
        long windowFrom = EPOCH + (long) rng.integer(0, 364 * 24 * 60) * STEP;
        long start = windowFrom + settings.historyMinutes() * STEP;
        long firstBatch = start + rng.integer(0, 2) * STEP;

        // fleet and batches
        int n = single ? 1 : rng.integer(4, 12);
        List<Long> batchTimes = new ArrayList<>();
        List<List<Integer>> batchSlots = new ArrayList<>();
        int[] order = shuffled(n, rng);
        if (single) {
            batchTimes.add(firstBatch);
            batchSlots.add(List.of(0));
        } else {
            int k = rng.integer(3, 5);
            double[] cumulative = switch (k) {
                case 3 -> new double[]{0, 0.5, 1};
                case 4 -> new double[]{0, 0.25, 0.5, 1};
                default -> new double[]{0, 0.2, 0.4, 0.7, 1};
            };
            int done = 0;
            long at = firstBatch;
            for (int b = 0; b < k && done < n; b++) {
                int upTo = b == 0 ? 1 : Math.max(done + 1, (int) Math.round(cumulative[b] * n));
                if (b == k - 1) upTo = n;
                List<Integer> members = new ArrayList<>();
                for (int i = done; i < upTo; i++) members.add(order[i]);
                batchTimes.add(at);
                batchSlots.add(members);
                done = upTo;
                at += rng.integer(12, 20) * STEP;
            }
        }
        long lastBatch = batchTimes.get(batchTimes.size() - 1);
        long end = single ? firstBatch + rng.integer(30, 60) * STEP : lastBatch + rng.integer(8, 15) * STEP;
        int minutes = (int) ((end - windowFrom) / STEP) + 1;

        // metrics
        String traffic = rng.chance(0.7) ? "qps" : "requests_per_second";
        boolean successRate = rng.chance(0.4);
        String errors = successRate ? "success_rate" : "error_rate";
        String latency = rng.pick(List.of("latency_ms", "rt_ms", "p99_latency_ms"));
        boolean hasMemory = rng.chance(0.85), hasKpi = rng.chance(0.65);
        String memory = rng.chance(0.6) ? "memory_mb" : "heap_used_mb";
        String kpi = rng.pick(List.of("orders", "checkouts", "payments"));
        Map<String, MetricSpec> metrics = new LinkedHashMap<>();
        metrics.put(traffic, MetricSpec.of(traffic, MetricKind.MIDDLEWARE, Bad.DECREASE, "rps", null));
        metrics.put(errors, MetricSpec.of(errors, MetricKind.MIDDLEWARE, successRate ? Bad.DECREASE : Bad.INCREASE, "percent", null));
        metrics.put(latency, MetricSpec.of(latency, MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", null));
        metrics.put("cpu_percent", MetricSpec.of("cpu_percent", MetricKind.BASIC, Bad.INCREASE, "percent", null));
        if (hasMemory) metrics.put(memory, MetricSpec.of(memory, MetricKind.BASIC, Bad.INCREASE, "MB", null));
        if (hasKpi) metrics.put(kpi, MetricSpec.of(kpi, MetricKind.BUSINESS, Bad.DECREASE, "per minute", null));

        // traps
        EnumSet<Trap> pool = EnumSet.allOf(Trap.class);
        if (single) pool.removeAll(EnumSet.of(Trap.GLOBAL_DIP, Trap.UPSTREAM_INCIDENT, Trap.NOISY_REFERENCE));
        if (bad) pool.removeAll(EnumSet.of(Trap.BENIGN_CHANGE, Trap.NEW_WARN_LINE));
        // nothing restarts and no new version runs: no deploy spike, no benign change, no new log line
        if (injected) pool.removeAll(EnumSet.of(Trap.WARMUP_SPIKE, Trap.BENIGN_CHANGE, Trap.NEW_WARN_LINE));
        List<Trap> traps = new ArrayList<>();
        if (rng.chance(bad ? settings.badTrapShare() : settings.goodTrapShare())) {
            int count = bad ? 1 : rng.chance(0.35) ? 2 : 1;
            List<Trap> candidates = new ArrayList<>(pool);
            for (int i = 0; i < count && !candidates.isEmpty(); i++) {
                Trap t = candidates.remove(rng.integer(0, candidates.size() - 1));
                if (t == Trap.GLOBAL_SURGE) candidates.remove(Trap.GLOBAL_DIP);
                if (t == Trap.GLOBAL_DIP) candidates.remove(Trap.GLOBAL_SURGE);
                traps.add(t);
            }
            traps.sort(null);
        }
        boolean lowTraffic = traps.contains(Trap.LOW_TRAFFIC);

        // fault
        Fault fault = null;
        double intensity = 0;
        long onset = firstBatch;
        if (bad) {
            List<Fault> faults = new ArrayList<>(List.of(Fault.values()));
            if (!hasMemory) faults.remove(Fault.MEMORY_LEAK);
            if (!hasKpi) faults.remove(Fault.KPI_DROP);
            if (single) faults.remove(Fault.TRAFFIC_LOSS);
            fault = rng.pick(faults);
            intensity = rng.uniform();
            // a fault that builds up (leak, ramp) starts with the first batch; the others may show only once more instances serve
            boolean gradual = fault == Fault.MEMORY_LEAK || fault == Fault.CPU_RAMP;
            if (!gradual && batchTimes.size() >= 3 && rng.chance(settings.lateOnsetShare())) onset = batchTimes.get(rng.integer(1, 2));
        }
        double u = intensity;
        double errorStep = fault != Fault.ERROR_STEP ? 0 : (lowTraffic ? lerpLog(5, 40, u) : lerpLog(1, 25, u)) / 100;
        double latencyFactor = fault != Fault.LATENCY ? 1 : lerpLog(lowTraffic ? 1.6 : 1.3, 4, u);
        double leakPerMinute = fault != Fault.MEMORY_LEAK ? 0 : lerpLog(0.2, 1.5, u) / ((end - firstBatch) / (double) STEP);
        boolean cpuStep = fault == Fault.CPU_RAMP && rng.chance(0.4);
        double cpuSlope = fault != Fault.CPU_RAMP || cpuStep ? 0 : lerpLog(0.4, 3, u);
        double cpuStepFactor = cpuStep ? 1 + lerpLog(0.25, 1.5, u) : 1;
        double trafficLoss = fault != Fault.TRAFFIC_LOSS ? 0 : 0.4 + 0.6 * u;
        double newExceptionRate = fault != Fault.NEW_EXCEPTION ? 0 : lerpLog(lowTraffic ? 1 : 0.3, 20, u);
        double surgeFactor = fault != Fault.EXCEPTION_SURGE ? 1 : lerpLog(4, 40, u);
        double kpiFactor = fault != Fault.KPI_DROP ? 1 : 1 - (lowTraffic ? lerp(0.5, 0.9, u) : lerp(0.25, 0.9, u));
        boolean exceptionsAreErrors = rng.chance(0.5);

        Stacks.Kind newException = rng.pick(Stacks.NEW_EXCEPTIONS);

        // the app
        Stacks stacks = new Stacks(app, rng);
        double baseQps = lowTraffic ? rng.uniform(0.05, 0.5) : rng.logUniform(2, 400);
        double p0 = rng.logUniform(0.0001, 0.012);
        double latency0 = rng.logUniform(5, 400);
        double conversion = rng.logUniform(0.003, 0.04);
        Shape load = Shape.random(rng.pick(TRAFFIC_SHAPES), rng, 0.4, 1.0);
        Shape latTex = Shape.random(LATENCY_SHAPE, rng, 0.05, 0.2);
        String oldHash = rng.letters(9), newHash = rng.letters(9);
        double[] loadAt = new double[minutes];
        for (int k = 0; k < minutes; k++) loadAt[k] = load.at(k);
        double[] incidentErr = new double[minutes], incidentLat = new double[minutes];
        Arrays.fill(incidentLat, 1);
        int firstMinute = (int) ((firstBatch - windowFrom) / STEP);
        for (Trap t : traps) {
            switch (t) {
                case GLOBAL_SURGE, GLOBAL_DIP -> {
                    double f = t == Trap.GLOBAL_SURGE ? rng.uniform(1.5, 3) : rng.uniform(0.3, 0.7);
                    int s = firstMinute + rng.integer(-3, 5), d = rng.integer(10, 40);
                    for (int k = 0; k < minutes; k++) loadAt[k] *= 1 + (f - 1) * ramp(k, s, s + d, 2);
                }
                case UPSTREAM_INCIDENT -> {
                    int s = (int) ((rng.pick(batchTimes) - windowFrom) / STEP) + rng.integer(-2, 4), d = rng.integer(5, 15);
                    double e = rng.uniform(0.01, 0.08), l = rng.uniform(1.3, 2.5);
                    for (int k = 0; k < minutes; k++) {
                        double r = ramp(k, s, s + d, 1);
                        incidentErr[k] += e * r;
                        incidentLat[k] *= 1 + (l - 1) * r;
                    }
                }
                default -> { }
            }
        }
        boolean warmupTrap = traps.contains(Trap.WARMUP_SPIKE);
        double warmLat = warmupTrap ? rng.uniform(1.5, 4) : rng.uniform(0.1, 0.6);
        double warmCpu = warmupTrap ? rng.uniform(20, 45) : rng.uniform(3, 12);
        double warmErr = warmupTrap ? rng.uniform(0.01, 0.05) : 0;
        double warmTau = warmupTrap ? rng.uniform(1.2, 2.5) : rng.uniform(0.5, 1.2);
        boolean startupException = warmupTrap && rng.chance(0.5);
        double benignLat = 1, benignCpu = 1, benignMem = 1, benignErr = 1;
        if (traps.contains(Trap.BENIGN_CHANGE)) {
            benignLat = rng.uniform(0.85, 1.05);
            benignCpu = rng.uniform(0.9, 1.06);
            benignMem = rng.uniform(0.97, 1.05);
            benignErr = rng.uniform(0.5, 1);
        }
        boolean missing = traps.contains(Trap.MISSING_DATA);
        double dropRate = missing ? rng.uniform(0.03, 0.25) : rng.chance(0.3) ? 0.002 : 0;
        boolean writeNaN = rng.chance(0.5);

        // instances: copies of one service behind one load balancer differ little, except a bad host
        double idleCpu = rng.uniform(2, 10), busyCpu = rng.uniform(10, 45), memory0 = rng.uniform(600, 3000);
        Slot[] slots = new Slot[n];
        for (int i = 0; i < n; i++) {
            Slot s = new Slot();
            String zone = String.valueOf("abc".charAt(i % 3));
            if (replace) {
                s.oldId = app + "-" + oldHash + "-" + rng.letters(5);
                s.newId = app + "-" + newHash + "-" + rng.letters(5);
            } else {
                s.oldId = s.newId = String.format(Locale.ROOT, "%s-%s-%02d", app, zone, i + 1);
            }
            s.downMinutes = replace ? rng.integer(1, 2) : rng.integer(0, 2);
            if (injected) s.downMinutes = 0;
            s.share = rng.uniform(0.9, 1.1);
            s.latBias = rng.uniform(0.9, 1.1);
            s.errBias = rng.uniform(0.7, 1.3);
            s.idleCpu = idleCpu * rng.uniform(0.8, 1.2);
            s.busyCpu = busyCpu * rng.uniform(0.9, 1.1);
            s.mem = memory0 * rng.uniform(0.9, 1.1);
            s.memTau = rng.uniform(3, 8);
            s.gcPeriod = rng.uniform(7, 25);
            s.gcPhase = rng.uniform();
            s.latSigma = rng.uniform(0.04, 0.12);
            s.cpuTex = Shape.random(rng.pick(CPU_SHAPES), rng, 0.1, 0.35);
            s.cpuTexAmp = rng.uniform(0.3, 1);
            slots[i] = s;
        }
        for (int b = 0; b < batchTimes.size(); b++) for (int i : batchSlots.get(b)) slots[i].releaseAt = batchTimes.get(b);
        if (traps.contains(Trap.NOISY_REFERENCE)) {
            Slot s = slots[order[n - 1]];
            s.noisy = true;
            s.latBias *= rng.uniform(1.3, 2);
            s.latSigma *= 3;
            s.errBias *= rng.uniform(3, 8);
            s.idleCpu += rng.uniform(10, 25);
        }
        if (missing) {
            if (rng.chance(0.4)) {
                Slot s = slots[rng.integer(0, n - 1)];
                s.outageFrom = rng.integer(firstMinute - 20, minutes - 5);
                s.outageTo = s.outageFrom + rng.integer(5, 20);
            }
            if (rng.chance(0.25)) slots[rng.integer(0, n - 1)].neverScraped = rng.pick(new ArrayList<>(metrics.keySet()));
        }

        // logs of the app
        int[] templates = new int[rng.integer(1, 3)];
        double[] templateRates = new double[templates.length];
        for (int i = 0; i < templates.length; i++) {
            templates[i] = rng.integer(0, 4) + 5 * i;
            templateRates[i] = rng.logUniform(0.01, 0.3);
        }
        List<Stacks.Kind> background = new ArrayList<>();
        List<Double> backgroundRates = new ArrayList<>();
        if (rng.chance(0.7) || fault == Fault.EXCEPTION_SURGE) {
            background.add(rng.pick(Stacks.BACKGROUND_EXCEPTIONS));
            backgroundRates.add(rng.logUniform(0.01, 0.15));
        }
        Stacks.Kind flaky = traps.contains(Trap.FLAKY_EXCEPTION) ? rng.pick(Stacks.FLAKY_EXCEPTIONS) : null;
        double flakyRate = rng.uniform(0.3, 3);
        boolean[] burst = new boolean[minutes];
        boolean on = false;
        for (int k = 0; k < minutes; k++) {
            on = on ? !rng.chance(0.25) : rng.chance(0.05);
            burst[k] = on;
        }
        int lineShift = rng.integer(1, 12);
        double newWarnRate = traps.contains(Trap.NEW_WARN_LINE) ? rng.uniform(0.2, 2) : 0;

        // samples and events
        Map<String, String> instances = new LinkedHashMap<>();
        String fromVersion = "v" + rng.integer(10, 90) + "." + rng.integer(0, 9);
        String toVersion = fromVersion.substring(0, fromVersion.indexOf('.')) + "." + (Integer.parseInt(fromVersion.substring(fromVersion.indexOf('.') + 1)) + 1);
        for (Slot s : slots) instances.put(s.oldId, replace ? fromVersion : s.releaseAt <= end ? toVersion : fromVersion);
        if (replace) for (Slot s : slots) if (s.releaseAt <= end) instances.put(s.newId, toVersion);
        Observations.Builder obs = Observations.builder();
        List<LogEvent> events = new ArrayList<>();
        // a fault injected for a while, rather than shipped: gone everywhere once its minutes since it showed have passed
        long faultEnd = fault == null || settings.faultMinutes() <= 0 ? Long.MAX_VALUE : shows(onset, slots, end) + settings.faultMinutes() * STEP;
        for (Slot s : slots) {
            Map<String, double[]> vOld = new LinkedHashMap<>(), vNew = new LinkedHashMap<>();
            for (String m : metrics.keySet()) {
                double[] a = new double[minutes], b = new double[minutes];
                Arrays.fill(a, Double.NaN);
                Arrays.fill(b, Double.NaN);
                vOld.put(m, a);
                vNew.put(m, b);
            }
            boolean[] present = new boolean[minutes];
            for (int k = 0; k < minutes; k++) {
                long t = windowFrom + k * STEP;
                boolean released = t > s.releaseAt;
                double since = released ? (t - s.releaseAt) / (double) STEP : -1;
                if (released && since <= s.downMinutes) continue;
                if (k >= s.outageFrom && k < s.outageTo) continue;
                present[k] = true;
                // a sample is stamped at the end of the minute it covers: the one stamped at the onset covers the minute before it
                boolean faulty = released && t > onset && fault != null && t <= faultEnd;
                double faultSince = faulty ? (t - Math.max(s.releaseAt, onset)) / (double) STEP : 0;
                double warm = released && !injected ? StrictMath.exp(-(since - s.downMinutes) / warmTau) : 0;
                double lam = baseQps * s.share * loadAt[k] * (faulty ? 1 - trafficLoss : 1);
                long requests = rng.poisson(lam * STEP);
                double p = p0 * s.errBias * (1 + 0.5 * Math.max(0, loadAt[k] - 1)) * (released ? benignErr : 1) + incidentErr[k] + warmErr * warm
                        + (faulty ? errorStep : 0) + (s.noisy && rng.chance(0.1) ? rng.uniform(0.02, 0.1) : 0);
                long failed = Math.min(requests, rng.poisson(requests * Math.min(1, p)));
                double lat = latency0 * s.latBias * (1 + 0.25 * (loadAt[k] - 1)) * latTex.at(k) * incidentLat[k]
                        * StrictMath.exp((s.latSigma + 0.6 / Math.sqrt(Math.max(requests, 1))) * rng.gaussian()) * (1 + warmLat * warm)
                        * (faulty ? latencyFactor : 1) * (released ? benignLat : 1);
                double cpu = s.idleCpu + s.busyCpu * (lam / (baseQps * s.share)) * (faulty ? cpuStepFactor : 1) * (released ? benignCpu : 1)
                        + 8 * s.cpuTexAmp * (s.cpuTex.at(k) - 1) + 1.5 * rng.gaussian() + warmCpu * warm + cpuSlope * faultSince;
                double saw = (k / s.gcPeriod + s.gcPhase) % 1.0;
                double mem = s.mem * (0.85 + 0.15 * saw) * (released && !injected ? (1 - 0.3 * StrictMath.exp(-since / s.memTau)) * benignMem : 1)
                        + s.mem * 0.01 * rng.gaussian() + s.mem * leakPerMinute * faultSince;
                long orders = rng.poisson(lam * STEP * conversion * (faulty ? kpiFactor : 1));

                // logs; exceptions that reach users also count as failed requests in half the bad cases
                String instance = released && replace ? s.newId : s.oldId;
                int shift = released && !injected ? lineShift : 0;
                long userVisible = 0;
                if (k > 0) {
                    for (int i = 0; i < templates.length; i++) {
                        long c = rng.poisson(templateRates[i] * loadAt[k] * (s.noisy ? 4 : 1) + (incidentErr[k] > 0 && i == 0 ? 2 : 0));
                        if (c > 0) events.add(line(t, rng, instance, Stacks.levelOf(templates[i]), stacks.logger(i),
                                Stacks.line(templates[i], rng.integer(10000, 99999), rng), c));
                    }
                    for (int i = 0; i < background.size(); i++) {
                        long c = rng.poisson(backgroundRates.get(i) * (faulty ? surgeFactor : 1));
                        if (faulty && surgeFactor > 1) userVisible += c;
                        if (c > 0) events.add(exception(t, rng, instance, stacks, background.get(i), shift, c));
                    }
                    if (flaky != null && burst[k]) {
                        long c = rng.poisson(flakyRate);
                        if (c > 0) events.add(exception(t, rng, instance, stacks, flaky, shift, c));
                    }
                    if (faulty && newExceptionRate > 0) {
                        long c = rng.poisson(newExceptionRate * Math.min(1, loadAt[k]));
                        userVisible += c;
                        if (c > 0) events.add(exception(t, rng, instance, stacks, newException, lineShift, c));
                    }
                    if (startupException && released && since - s.downMinutes <= 1)
                        events.add(exception(t, rng, instance, stacks, STARTUP, shift, rng.integer(1, 5)));
                    if (released && newWarnRate > 0) {
                        long c = rng.poisson(newWarnRate);
                        if (c > 0) events.add(line(t, rng, instance, "WARN", stacks.logger(1),
                                "Deprecated property 'app.cache.ttl' is used; use 'app.cache.expire-after' instead", c));
                    }
                }
                if (exceptionsAreErrors) failed = Math.min(requests, failed + userVisible);

                Map<String, double[]> v = released && replace ? vNew : vOld;
                double errorRate = requests == 0 ? Double.NaN : 100.0 * failed / requests;
                v.get(traffic)[k] = round(requests / (double) STEP, 3);
                v.get(errors)[k] = Double.isNaN(errorRate) ? Double.NaN : round(successRate ? 100 - errorRate : errorRate, 3);
                v.get(latency)[k] = round(Math.max(0.1, lat), 1);
                v.get("cpu_percent")[k] = round(Math.min(100, Math.max(0, cpu)), 1);
                if (hasMemory) v.get(memory)[k] = round(mem, 0);
                if (hasKpi) v.get(kpi)[k] = orders;
            }
            putSeries(obs, s.oldId, vOld, windowFrom, dropRate, writeNaN, s.neverScraped, rng);
            if (replace) putSeries(obs, s.newId, vNew, windowFrom, dropRate, writeNaN, s.neverScraped, rng);
        }
        events.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));

        List<Batch> batches = new ArrayList<>();
        for (int b = 0; b < batchTimes.size(); b++) {
            List<String> ids = new ArrayList<>();
            for (int i : batchSlots.get(b)) ids.add(slots[i].newId);
            batches.add(new Batch(b + 1, batchTimes.get(b), ids, false));
        }
        long step = settings.stepSeconds();
        ReleaseCase c = new ReleaseCase(id, app, step, metrics, instances, fromVersion, toVersion, start, batches, end, windowFrom, end,
                step == STEP ? settings.scrapeOffsets() ? offset(obs.build(), hasKpi ? kpi : null, new Rng(Rng.caseSeed(settings.seed(), index) ^ OFFSET_SALT))
                        : obs.build() : step > STEP ? coarsened(obs.build(), step)
                        : refined(obs.build(), step, windowFrom, traffic, errors, successRate, hasKpi ? kpi : null,
                        new Rng(Rng.caseSeed(settings.seed(), index) ^ REFINE_SALT)), events);
        if (settings.naming() != GeneratorSettings.Naming.NAMED) c = anonymised(c, settings.naming() == GeneratorSettings.Naming.OPAQUE);
        return new Generated(c, new Label(id, bad, bad ? shows(onset, slots, end) : null), fault, intensity, traps);
    }

    /**
     * The case with its metrics called {@code metric_1} and on in name order, their units kept or not; kind and which
     * way is bad stay. The role each gets is what its new name alone says (nothing), so that none is written and a
     * reader is left to tell from the unit, the kind and the data.
     */
    static ReleaseCase anonymised(ReleaseCase c, boolean keepUnits) {
        List<String> names = new ArrayList<>(c.metrics().keySet());
        names.sort(null);
        Map<String, String> renamed = new HashMap<>();
        Map<String, MetricSpec> metrics = new LinkedHashMap<>();
        for (MetricSpec m : c.metrics().values()) {
            String name = "metric_" + (names.indexOf(m.name()) + 1);
            renamed.put(m.name(), name);
            metrics.put(name, MetricSpec.of(name, m.kind(), m.bad(), keepUnits ? m.unit() : "", MetricSpec.of(name, m.kind(), m.bad()).role()));
        }
        Observations.Builder obs = Observations.builder();
        for (String instance : c.observations().instances())
            c.observations().ofInstance(instance).forEach((metric, series) -> obs.put(instance, renamed.getOrDefault(metric, metric), series));
        return new ReleaseCase(c.id(), c.app(), c.stepSeconds(), metrics, c.instances(), c.fromVersion(), c.toVersion(), c.start(), c.batches(),
                c.end(), c.windowFrom(), c.windowTo(), obs.build(), c.logs(), c.guard());
    }

    /** Keeps a single-instance case's choice of a one-replica rollout apart from its other draws. */
    private static final long REPLACE_SALT = 0x2545F4914F6CDD1DL;

    /** Keeps the scrape offsets' draws apart from the minute simulation's, which stays the same with or without them. */
    private static final long OFFSET_SALT = 0x9E3779B97F4A7C15L;

    /**
     * The minute corpus as a scraper sees it that scrapes every target at its own offset into the minute: each instance
     * 0–49 s late, each scrape ± 3 s more (never early). A sample stamped d seconds after a minute covers the minute
     * before its stamp, the last 60 − d seconds of the minute simulated and the first d of the next: rates, latency and
     * resources are the mix of the two in proportion, and the orders counted are those of each minute that fall in it
     * (every order independently, so the count stays whole). A sample whose next minute is missing keeps its own.
     */
    static Observations offset(Observations minutes, String kpi, Rng rng) {
        Observations.Builder out = Observations.builder();
        for (String instance : minutes.instances()) {
            int late = rng.integer(0, 49);
            Map<String, Series> ofInstance = minutes.ofInstance(instance);
            // one scrape a minute reads every metric of the instance at once
            Map<Long, Long> shift = new HashMap<>();
            for (String metric : new java.util.TreeSet<>(ofInstance.keySet())) {
                Series s = ofInstance.get(metric);
                long[] times = new long[s.size()];
                double[] values = new double[s.size()];
                for (int i = 0; i < s.size(); i++) {
                    double v = s.value(i), next = i + 1 < s.size() && s.time(i + 1) == s.time(i) + STEP ? s.value(i + 1) : Double.NaN;
                    long d = shift.computeIfAbsent(s.time(i), t -> (long) Math.max(0, late + rng.integer(-3, 3)));
                    double f = d / (double) STEP;
                    times[i] = s.time(i) + d;
                    if (!Double.isFinite(v) || !Double.isFinite(next) || d == 0 || Fleet.isStartTime(metric)) values[i] = v;
                    else if (metric.equals(kpi)) values[i] = rng.binomial(Math.round(v), 1 - f) + rng.binomial(Math.round(next), f);
                    else values[i] = round((1 - f) * v + f * next, 3);
                }
                out.put(instance, metric, Series.of(times, values));
            }
        }
        return out.build();
    }

    /** Keeps a refined corpus's extra draws apart from the minute simulation's, which stays the same at every step. */
    private static final long REFINE_SALT = 0x5DEECE66DL;

    /**
     * Each minute as {@code 60 / step} scrapes, the last at the minute's sample time, that average back to the minute:
     * its requests and orders split over the scrapes at random (every one lands in one scrape), its failed requests over
     * the scrapes in proportion to their requests, so that a short scrape's rate is as noisy as its few requests make
     * it; latency and CPU spread 8% around the minute's value, memory 0.3%, in deviations that cancel over the minute.
     * The finer corpus is the minute corpus seen closer, so a replay of both tells what the step alone changes. A
     * missing minute is missing in every scrape; scrapes before the window are not written.
     */
    static Observations refined(Observations minutes, long step, long windowFrom, String traffic, String errors, boolean successRate,
                                String kpi, Rng rng) {
        int parts = (int) (STEP / step);
        double[] even = new double[parts];
        Arrays.fill(even, 1);
        Observations.Builder out = Observations.builder();
        for (String instance : minutes.instances()) {
            Map<String, Series> ofInstance = minutes.ofInstance(instance);
            Map<Long, long[]> requests = new HashMap<>();
            // traffic first: each scrape's error rate is of its own requests
            List<String> names = new ArrayList<>(ofInstance.keySet());
            names.sort((x, y) -> Boolean.compare(!x.equals(traffic), !y.equals(traffic)));
            for (String metric : names) {
                Series s = ofInstance.get(metric);
                long[] times = new long[s.size() * parts];
                double[] values = new double[s.size() * parts];
                int n = 0;
                for (int i = 0; i < s.size(); i++) {
                    long t = s.time(i);
                    double[] x = scrapes(metric, s.value(i), requests.get(t), parts, step, traffic, errors, successRate, kpi, even, rng);
                    if (metric.equals(traffic) && Double.isFinite(s.value(i))) {
                        long[] req = new long[parts];
                        for (int k = 0; k < parts; k++) req[k] = Math.round(x[k] * step);
                        requests.put(t, req);
                    }
                    for (int k = 0; k < parts; k++) {
                        long at = t - STEP + (k + 1) * step;
                        if (at < windowFrom) continue;
                        times[n] = at;
                        values[n++] = x[k];
                    }
                }
                if (n > 0) out.put(instance, metric, Series.of(Arrays.copyOf(times, n), Arrays.copyOf(values, n)));
            }
        }
        return out.build();
    }

    /** One minute's value of a metric as its scrapes: see {@link #refined}. */
    private static double[] scrapes(String metric, double v, long[] served, int parts, long step, String traffic, String errors,
                                    boolean successRate, String kpi, double[] even, Rng rng) {
        double[] x = new double[parts];
        if (!Double.isFinite(v)) {
            Arrays.fill(x, Double.NaN);
        } else if (metric.equals(traffic)) {
            long[] req = rng.split(Math.round(v * STEP), even);
            for (int k = 0; k < parts; k++) x[k] = round(req[k] / (double) step, 3);
        } else if (metric.equals(kpi)) {
            long[] orders = rng.split(Math.round(v), even);
            for (int k = 0; k < parts; k++) x[k] = round(orders[k] * (double) STEP / step, 3);
        } else if (metric.equals(errors) && served != null) {
            long total = 0;
            double[] weights = new double[parts];
            for (int k = 0; k < parts; k++) {
                total += served[k];
                weights[k] = served[k];
            }
            long[] failed = rng.split(Math.round((successRate ? 100 - v : v) / 100 * total), weights);
            for (int k = 0; k < parts; k++) {
                double rate = served[k] == 0 ? Double.NaN : 100.0 * Math.min(failed[k], served[k]) / served[k];
                x[k] = Double.isNaN(rate) ? Double.NaN : round(successRate ? 100 - rate : rate, 3);
            }
        } else if (metric.equals(errors)) {
            Arrays.fill(x, v);
        } else {
            double spread = metric.endsWith("_mb") ? 0.003 : 0.08, mean = 0;
            double[] g = new double[parts];
            for (int k = 0; k < parts; k++) mean += (g[k] = rng.gaussian()) / parts;
            for (int k = 0; k < parts; k++) {
                double y = Math.max(0, v * (1 + spread * (g[k] - mean)));
                x[k] = metric.endsWith("_mb") ? round(y, 0) : metric.equals("cpu_percent") ? round(Math.min(100, y), 1) : round(y, 1);
            }
        }
        return x;
    }

    /**
     * Each series as means over {@code step} seconds, (T − step, T] stamped at T with T a multiple of the step, as a store
     * keeping coarser points has them: a step with every sample missing stays missing, one with none is not written.
     */
    static Observations coarsened(Observations minutes, long step) {
        Observations.Builder out = Observations.builder();
        for (String instance : minutes.instances()) {
            minutes.ofInstance(instance).forEach((metric, s) -> {
                Series means = RoundGrid.cellMeans(s, step);
                if (means.isEmpty()) return;
                double[] values = means.values();
                for (int i = 0; i < values.length; i++) if (Double.isFinite(values[i])) values[i] = round(values[i], 3);
                out.put(instance, metric, Series.of(means.times(), values));
            });
        }
        return out.build();
    }

    /**
     * When the fault began to show: an instance shows it only once it serves on the new version, so a
     * fault with the first batch shows when that batch's instance is back from its restart, not when
     * the deploy began. Time to intercept is measured from here, as people count it.
     */
    private static long shows(long onset, Slot[] slots, long end) {
        long first = Long.MAX_VALUE;
        for (Slot s : slots) if (s.releaseAt <= end) first = Math.min(first, Math.max(onset, s.releaseAt + s.downMinutes * STEP));
        return first;
    }

    private static void putSeries(Observations.Builder obs, String instance, Map<String, double[]> values, long windowFrom, double dropRate, boolean writeNaN,
                                  String neverScraped, Rng rng) {
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            if (e.getKey().equals(neverScraped)) continue;
            double[] v = e.getValue();
            long[] times = new long[v.length];
            double[] vals = new double[v.length];
            int m = 0;
            boolean seen = false;
            for (int k = 0; k < v.length; k++) {
                if (Double.isNaN(v[k]) && !seen) continue;
                seen = true;
                boolean drop = rng.chance(dropRate) || Double.isNaN(v[k]);
                if (drop && !writeNaN) continue;
                times[m] = windowFrom + k * STEP;
                vals[m++] = drop ? Double.NaN : v[k];
            }
            while (m > 0 && Double.isNaN(vals[m - 1])) m--;
            if (m > 0) obs.put(instance, e.getKey(), Series.of(Arrays.copyOf(times, m), Arrays.copyOf(vals, m)));
        }
    }

    /** An event in the minute that ends at the sample time {@code minute}. */
    private static LogEvent line(long minute, Rng rng, String instance, String level, String logger, String message, long count) {
        return new LogEvent(minute - rng.integer(0, 59), instance, level, logger, message, null, count);
    }

    private static LogEvent exception(long minute, Rng rng, String instance, Stacks stacks, Stacks.Kind kind, int shift, long count) {
        String stack = stacks.stack(kind, shift, rng.integer(10000, 99999));
        return new LogEvent(minute - rng.integer(0, 59), instance, "ERROR", stacks.logger(1), Stacks.message(stack), stack, count);
    }

    /** 0 outside [from, to), 1 inside, with linear edges of {@code edge} minutes. */
    private static double ramp(int k, int from, int to, int edge) {
        if (k < from - edge || k >= to + edge) return 0;
        if (k < from) return (k - (from - edge)) / (double) edge;
        if (k >= to) return 1 - (k - to + 1) / (double) (edge + 1);
        return 1;
    }

    private static double lerp(double lo, double hi, double u) { return lo + (hi - lo) * u; }

    private static double lerpLog(double lo, double hi, double u) { return lo * StrictMath.pow(hi / lo, u); }

    private static double round(double v, int decimals) {
        double f = decimals == 0 ? 1 : decimals == 1 ? 10 : 1000;
        return Math.round(v * f) / f;
    }

    private static int[] shuffled(int n, Rng rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.integer(0, i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
