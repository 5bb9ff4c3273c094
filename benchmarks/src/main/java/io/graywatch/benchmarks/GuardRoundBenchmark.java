package io.graywatch.benchmarks;

import io.graywatch.core.funnel.GraywatchJudge;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * One round of the detection funnel for a release with 10 released and 10 reference instances,
 * 40 metrics of every role, 60 samples after the batch started and 60 of history per series.
 * {@code healthy}: nothing changed, most metrics stop at the change stage; {@code faulty}: a
 * quarter of the metrics moved on the released instances and go through every stage.
 * Time per metric = time per round / 40.
 * <p>
 * The target is a round on one core, so each fork sees one processor (serial GC, one JIT thread) and is
 * best pinned to one as well; on two cores the round thread shares them with G1's and the JIT's threads
 * and moves between them, and iterations swing by half. C2 is still recompiling the funnel's larger
 * methods after five seconds, hence the long warm-up.
 *
 * <pre>taskset -c 1 java -jar benchmarks/target/benchmarks.jar GuardRound</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-XX:ActiveProcessorCount=1", "-Xms1g", "-XX:+AlwaysPreTouch"})
public class GuardRoundBenchmark {
    static final int RELEASED = 10, REFERENCE = 10, METRICS = 40, HISTORY = 60, AFTER = 60;
    static final long STEP = 60, START = 1_700_006_400L;
    static final MetricRole[] ROLES = {MetricRole.LATENCY, MetricRole.ERROR_RATE, MetricRole.RESOURCE, MetricRole.OTHER, MetricRole.ERROR_COUNT};

    @Param({"healthy", "faulty"})
    public String scenario;

    private final GraywatchJudge judge = new GraywatchJudge();
    private GuardInput input;
    private GuardState state;

    @Setup
    public void setUp() {
        Random rnd = new Random(42);
        Map<String, MetricSpec> specs = new LinkedHashMap<>();
        specs.put("requests", MetricSpec.of("requests", MetricKind.MIDDLEWARE, Bad.DECREASE, "req/s", MetricRole.TRAFFIC));
        for (int m = 1; m < METRICS; m++) {
            MetricRole role = ROLES[m % ROLES.length];
            MetricKind kind = role == MetricRole.RESOURCE ? MetricKind.BASIC : role == MetricRole.ERROR_COUNT ? MetricKind.LOG : MetricKind.MIDDLEWARE;
            specs.put("m" + m, MetricSpec.of("m" + m, kind, role == MetricRole.OTHER ? Bad.EITHER : Bad.INCREASE, "", role));
        }
        List<String> released = new ArrayList<>(), all = new ArrayList<>();
        for (int i = 0; i < RELEASED; i++) released.add("r" + i);
        all.addAll(released);
        for (int i = 0; i < REFERENCE; i++) all.add("f" + i);
        long release = START + HISTORY * STEP, now = release + (AFTER - 1) * STEP;
        boolean faulty = scenario.equals("faulty");
        Observations.Builder obs = Observations.builder();
        int n = HISTORY + AFTER;
        for (String inst : all) {
            int k = 0;
            for (MetricSpec spec : specs.values()) {
                double level = spec.role() == MetricRole.ERROR_COUNT ? 3 : spec.role() == MetricRole.ERROR_RATE ? 0.5 : 100 + 10 * rnd.nextDouble();
                boolean hit = faulty && released.contains(inst) && k++ % 4 == 0;
                long[] t = new long[n];
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = START + i * STEP;
                    double daily = 1 + 0.2 * Math.sin(2 * Math.PI * t[i] / 86_400.0);
                    double x = spec.role() == MetricRole.ERROR_COUNT ? poisson(rnd, level * daily) : level * daily * (1 + 0.1 * rnd.nextGaussian());
                    v[i] = hit && t[i] >= release ? x * 1.6 + 1 : x;
                }
                obs.put(inst, spec.name(), Series.of(t, v));
            }
        }
        ReleaseView view = new ReleaseView("bench", "v1", "v2", release, List.of(new Batch(1, release, released, false)), null);
        input = new GuardInput(view, now, STEP, specs, new TreeSet<>(all), obs.build(), LogData.empty(60), GuardConfig.defaults());
        state = GuardState.initial();
    }

    private static double poisson(Random rnd, double mean) {
        double l = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    @Benchmark
    public RoundResult round() {
        return judge.judge(input, state);
    }
}
