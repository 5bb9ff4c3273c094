package io.graywatch.replay.generate;

import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;
import io.graywatch.replay.corpus.CaseReader;
import io.graywatch.replay.corpus.Corpus;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.corpus.ReleaseCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CorpusGeneratorTest {
    @TempDir
    Path dir;

    private static String digest(Path root) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        for (Path f : files) {
            md.update(root.relativize(f).toString().getBytes());
            md.update(Files.readAllBytes(f));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void theSameSeedWritesTheSameBytesWhateverTheThreads() throws Exception {
        CorpusGenerator.write(dir.resolve("a"), GeneratorSettings.of(12, 42), 2, n -> { });
        CorpusGenerator.write(dir.resolve("b"), GeneratorSettings.of(12, 42), 1, n -> { });
        CorpusGenerator.write(dir.resolve("c"), GeneratorSettings.of(12, 43), 2, n -> { });
        assertThat(digest(dir.resolve("a"))).isEqualTo(digest(dir.resolve("b"))).isNotEqualTo(digest(dir.resolve("c")));
    }

    @Test
    void halfTheCasesAreBadAndEveryCaseReadsBackCleanly() throws Exception {
        Path out = dir.resolve("corpus");
        CorpusGenerator.write(out, GeneratorSettings.of(20, 7), 2, n -> { });
        Map<String, Label> labels = Label.read(out.resolve("labels.csv"));
        assertThat(labels).hasSize(20);
        assertThat(labels.values().stream().filter(Label::bad).count()).isEqualTo(10);
        assertThat(labels.values()).allSatisfy(l -> assertThat(l.onset() != null).isEqualTo(l.bad()));
        List<Path> dirs = Corpus.caseDirs(out);
        assertThat(dirs).hasSize(20);
        for (Path d : dirs) {
            CaseReader.Loaded loaded = CaseReader.read(d);
            assertThat(loaded.warnings()).isEmpty();
            ReleaseCase c = loaded.releaseCase();
            assertThat(c.stepSeconds()).isEqualTo(60);
            assertThat(c.firstBatchAt() - c.windowFrom()).isBetween(7200L, 7320L);
            assertThat(c.end() - c.firstBatchAt()).isBetween(1800L, 5400L);
            // a fleet rolls in batches; a single instance (upgraded in place or replaced) in one
            if (c.batches().stream().mapToInt(b -> b.instances().size()).sum() > 1) assertThat(c.batches().size()).isBetween(3, 5);
            Label l = labels.get(c.id());
            if (l.bad()) assertThat(l.onset()).isGreaterThanOrEqualTo(c.firstBatchAt()).isLessThan(c.end());
        }
        assertThat(Files.readAllLines(out.resolve(CorpusGenerator.ANNEX))).hasSize(21);
        assertThat(CorpusGenerator.Annex.read(out.resolve("labels.csv")).tags()).hasSize(20);
    }

    @Test
    void aCaseIsTheSameWhateverTheNumberOfCasesAroundIt() throws Exception {
        GeneratorSettings few = GeneratorSettings.of(3, 5), many = GeneratorSettings.of(30, 5);
        for (boolean bad : new boolean[]{true, false}) {
            ReleaseCase a = CaseGenerator.generate(few, 2, bad).releaseCase(), b = CaseGenerator.generate(many, 2, bad).releaseCase();
            assertThat(a.observations().series(a.instanceIds().iterator().next(), a.metrics().keySet().iterator().next()))
                    .isEqualTo(b.observations().series(b.instanceIds().iterator().next(), b.metrics().keySet().iterator().next()));
            assertThat(a.logs()).isEqualTo(b.logs());
        }
    }

    @Test
    void generatedCasesCoverEveryFaultAndTrapSingleInstancesAndOneReplicaRollouts() {
        GeneratorSettings s = GeneratorSettings.of(200, 3);
        var faults = new java.util.EnumMap<CaseGenerator.Fault, Integer>(CaseGenerator.Fault.class);
        var traps = new java.util.EnumMap<CaseGenerator.Trap, Integer>(CaseGenerator.Trap.class);
        int single = 0, replaced = 0, oneReplica = 0;
        for (int i = 0; i < 200; i++) {
            CaseGenerator.Generated g = CaseGenerator.generate(s, i, i % 2 == 0);
            if (g.fault() != null) faults.merge(g.fault(), 1, Integer::sum);
            g.traps().forEach(t -> traps.merge(t, 1, Integer::sum));
            if (g.releaseCase().instances().size() == 1) single++;
            if (g.releaseCase().instances().size() > g.releaseCase().batches().stream().mapToInt(b -> b.instances().size()).sum()) replaced++;
            // a one-replica rollout: the old pod and the new one that took over from it
            if (g.releaseCase().instances().size() == 2 && g.releaseCase().batches().size() == 1 && g.releaseCase().batches().get(0).instances().size() == 1)
                oneReplica++;
        }
        assertThat(faults).containsOnlyKeys(CaseGenerator.Fault.values());
        assertThat(traps).containsOnlyKeys(CaseGenerator.Trap.values());
        assertThat(single).isBetween(6, 30);
        assertThat(oneReplica).isBetween(2, 15);
        assertThat(replaced).isBetween(30, 80);
    }

    @Test
    void aFaultThatShowsFromALaterBatchIsNotInTheSampleStampedAtItsSwitch() {
        // a sample is stamped at the end of the minute it covers: the one stamped at the switch covers the minute
        // before it, when the earlier instances did not have the fault yet
        GeneratorSettings settings = GeneratorSettings.of(2000, 5);
        List<String> dangerous = Stacks.NEW_EXCEPTIONS.stream().filter(Stacks.Kind::dangerous).map(Stacks.Kind::name).toList();
        int late = 0;
        for (int i = 0; i < settings.cases() && late < 5; i++) {
            CaseGenerator.Generated g = CaseGenerator.generate(settings, i, true);
            ReleaseCase c = g.releaseCase();
            if (g.fault() != CaseGenerator.Fault.NEW_EXCEPTION || !g.traps().isEmpty() || c.batches().size() < 3 || g.label().onset() < c.batches().get(1).at()) continue;
            long first = c.logs().stream().filter(e -> e.stack() != null && dangerous.stream().anyMatch(e.stack()::contains)).mapToLong(e -> e.timestamp())
                    .min().orElse(Long.MAX_VALUE);
            if (first == Long.MAX_VALUE) continue;
            assertThat(first).as(c.id()).isGreaterThan(g.label().onset());
            late++;
        }
        assertThat(late).isEqualTo(5);
    }

    @Test
    void aFaultInjectedForFiveMinutesIsGoneAfterThemAndLabelledAsBefore() {
        GeneratorSettings shipped = GeneratorSettings.of(400, 3), injected = shipped.withFaultMinutes(5);
        int seen = 0;
        for (int i = 0; i < shipped.cases() && seen < 5; i++) {
            CaseGenerator.Generated a = CaseGenerator.generate(shipped, i, true), b = CaseGenerator.generate(injected, i, true);
            ReleaseCase c = b.releaseCase();
            if (b.fault() != CaseGenerator.Fault.LATENCY || b.intensity() < 0.6 || !b.traps().isEmpty()) continue;
            assertThat(b.label()).isEqualTo(a.label());
            String instance = c.batches().get(0).instances().get(0);
            String latency = c.metrics().keySet().stream().filter(m -> m.contains("latency") || m.contains("rt")).findFirst().orElseThrow();
            long onset = b.label().onset(), end = onset + 5 * 60;
            double before = median(c.observations().series(instance, latency).between(onset - 1800, onset - 60)),
                    during = median(c.observations().series(instance, latency).between(onset + 61, end + 1)),
                    after = median(c.observations().series(instance, latency).between(end + 1, end + 601)),
                    stillShipped = median(a.releaseCase().observations().series(instance, latency).between(end + 1, end + 601));
            assertThat(during).as(c.id()).isGreaterThan(1.5 * before);
            assertThat(after).as(c.id()).isLessThan(1.3 * before);
            assertThat(stillShipped).as(c.id()).isGreaterThan(1.5 * before);
            seen++;
        }
        assertThat(seen).isEqualTo(5);
        assertThatThrownBy(() -> shipped.withFaultMinutes(-1)).hasMessageContaining("faultMinutes");
    }

    @Test
    void anInjectedFaultRestartsNothing() {
        GeneratorSettings shipped = GeneratorSettings.of(80, 4), injected = shipped.withInjected(true);
        int quiet = 0;
        for (int i = 0; i < injected.cases(); i++) {
            CaseGenerator.Generated g = CaseGenerator.generate(injected, i, i % 2 == 0);
            ReleaseCase c = g.releaseCase();
            assertThat(g.traps()).doesNotContain(CaseGenerator.Trap.WARMUP_SPIKE, CaseGenerator.Trap.BENIGN_CHANGE, CaseGenerator.Trap.NEW_WARN_LINE);
            // the same labels as shipped: only how the instances come by the fault differs
            assertThat(g.label().bad()).isEqualTo(CaseGenerator.generate(shipped, i, i % 2 == 0).label().bad());
            // scrapes missing for a while are a trap of their own
            if (g.traps().contains(CaseGenerator.Trap.MISSING_DATA)) continue;
            for (var b : c.batches())
                for (String id : b.instances()) {
                    Series cpu = c.observations().series(id, "cpu_percent");
                    // served under its own name before the switch, and went on serving through it
                    assertThat(cpu.between(b.at() - 600, b.at()).finiteValues()).as(c.id() + " " + id).isNotEmpty();
                    assertThat(cpu.between(b.at() + 1, b.at() + 180).finiteValues()).as(c.id() + " " + id).isNotEmpty();
                    String memory = c.metrics().containsKey("memory_mb") ? "memory_mb" : c.metrics().containsKey("heap_used_mb") ? "heap_used_mb" : null;
                    if (g.label().bad() || memory == null) continue;
                    // nothing restarted: memory does not start again from its floor (a fresh process has a fifth less)
                    Series mem = c.observations().series(id, memory);
                    double low = java.util.Arrays.stream(mem.between(b.at() - 1800, b.at()).finiteValues()).min().orElseThrow();
                    double[] after = mem.between(b.at() + 1, b.at() + 120).finiteValues();
                    if (after.length == 0) continue;
                    assertThat(after[0]).as(c.id() + " " + id).isGreaterThan(0.95 * low);
                    quiet++;
                }
        }
        assertThat(quiet).isGreaterThan(10);
    }

    private static double median(Series s) {
        double[] v = s.finiteValues();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    /** Four cases at a minute and at {@code step}: the same release and logs at both, each pair handed to {@code check}. */
    private static void atMinuteAndAt(long step, java.util.function.BiConsumer<ReleaseCase, ReleaseCase> check) {
        GeneratorSettings minutes = GeneratorSettings.of(4, 9), other = minutes.withStepSeconds(step);
        for (int i = 0; i < 4; i++) {
            ReleaseCase a = CaseGenerator.generate(minutes, i, i % 2 == 0).releaseCase(), b = CaseGenerator.generate(other, i, i % 2 == 0).releaseCase();
            assertThat(b.stepSeconds()).isEqualTo(step);
            assertThat(b.batches()).isEqualTo(a.batches());
            assertThat(b.logs()).isEqualTo(a.logs());
            check.accept(a, b);
        }
    }

    @Test
    void aCoarserStepKeepsEachMetricsMeanOverItsStepAndTheSameRelease() {
        atMinuteAndAt(300, (a, b) -> {
            String instance = a.instanceIds().iterator().next(), metric = a.metrics().keySet().iterator().next();
            Series fine = a.observations().series(instance, metric), coarse = b.observations().series(instance, metric);
            for (int k = 0; k < coarse.size(); k++) {
                long t = coarse.time(k);
                assertThat(t % 300).isZero();
                double[] within = fine.between(t - 299, t + 1).finiteValues();
                if (within.length == 0) assertThat(coarse.value(k)).isNaN();
                else assertThat(coarse.value(k)).isCloseTo(java.util.Arrays.stream(within).average().orElseThrow(), within(0.001));
            }
        });
        GeneratorSettings minutes = GeneratorSettings.of(4, 9);
        assertThatThrownBy(() -> minutes.withStepSeconds(90)).hasMessageContaining("whole minutes");
        assertThatThrownBy(() -> minutes.withStepSeconds(45)).hasMessageContaining("divide a minute");
        assertThatThrownBy(() -> minutes.withStepSeconds(0)).hasMessageContaining("divide a minute");
    }

    @Test
    void aFinerStepSplitsEachMinuteIntoScrapesThatAverageBackToIt() {
        atMinuteAndAt(15, (a, b) -> {
            for (String instance : a.instanceIds()) {
                for (String metric : a.metrics().keySet()) {
                    Series fine = b.observations().series(instance, metric), minute = a.observations().series(instance, metric);
                    for (int k = 1; k < minute.size(); k++) {
                        long t = minute.time(k);
                        Series four = fine.between(t - 59, t + 1);
                        assertThat(four.times()).containsExactly(t - 45, t - 30, t - 15, t);
                        if (Double.isNaN(minute.value(k))) {
                            assertThat(four.finiteValues()).isEmpty();
                        } else if (!metric.contains("rate")) {
                            // requests and orders are split, latency and resources spread around the minute's value: the
                            // scrapes' mean is the minute's (error and success rates are each of their own requests)
                            double mean = java.util.Arrays.stream(four.values()).average().orElseThrow();
                            assertThat(mean).as("%s %s at %d", instance, metric, t).isCloseTo(minute.value(k), within(0.05 + 0.005 * Math.abs(minute.value(k))));
                        }
                    }
                }
            }
        });
    }

    @Test
    void scrapeOffsetsStampEachInstanceLateAndMixTheMinutesItsSamplesCover() {
        GeneratorSettings minutes = GeneratorSettings.of(4, 9), offset = minutes.withScrapeOffsets(true);
        for (int i = 0; i < 4; i++) {
            ReleaseCase a = CaseGenerator.generate(minutes, i, i % 2 == 0).releaseCase(), b = CaseGenerator.generate(offset, i, i % 2 == 0).releaseCase();
            assertThat(b.batches()).isEqualTo(a.batches());
            assertThat(b.logs()).isEqualTo(a.logs());
            ReleaseCase again = CaseGenerator.generate(offset, i, i % 2 == 0).releaseCase();
            java.util.Set<Long> lates = new java.util.HashSet<>();
            for (String instance : a.instanceIds()) {
                for (String metric : a.metrics().keySet()) {
                    Series minute = a.observations().series(instance, metric), late = b.observations().series(instance, metric);
                    assertThat(again.observations().series(instance, metric)).as("same seed, same corpus").isEqualTo(late);
                    assertThat(late.size()).isEqualTo(minute.size());
                    for (int k = 0; k < minute.size(); k++) {
                        long d = late.time(k) - minute.time(k);
                        assertThat(d).isBetween(0L, 52L);
                        lates.add(d);
                        double v = minute.value(k);
                        boolean nextOn = k + 1 < minute.size() && minute.time(k + 1) == minute.time(k) + 60 && Double.isFinite(minute.value(k + 1));
                        if (!Double.isFinite(v)) assertThat(late.value(k)).isNaN();
                        else if (!nextOn || d == 0) assertThat(late.value(k)).isEqualTo(v);
                        else if (!metric.equals("orders") && !metric.equals("checkouts") && !metric.equals("payments")) {
                            // a sample covers the minute before its stamp: between the two minutes it spans, nearer the one it holds more of
                            double next = minute.value(k + 1), mix = (1 - d / 60.0) * v + d / 60.0 * next;
                            assertThat(late.value(k)).as("%s %s", instance, metric).isCloseTo(mix, within(0.001 + 1e-6 * Math.abs(mix)));
                        }
                    }
                }
            }
            // each instance its own offset
            assertThat(lates.size()).isGreaterThan(3);
        }
        assertThatThrownBy(() -> minutes.withStepSeconds(300).withScrapeOffsets(true)).hasMessageContaining("60 s only");
    }

    @Test
    void opaqueNamesKeepKindDirectionAndDataButSayNothingOfTheRole() {
        GeneratorSettings named = GeneratorSettings.of(2, 9);
        for (GeneratorSettings.Naming naming : List.of(GeneratorSettings.Naming.OPAQUE, GeneratorSettings.Naming.OPAQUE_WITHOUT_UNITS)) {
            ReleaseCase a = CaseGenerator.generate(named, 0, false).releaseCase(), b = CaseGenerator.generate(named.withNaming(naming), 0, false).releaseCase();
            List<String> names = new java.util.ArrayList<>(a.metrics().keySet());
            java.util.Collections.sort(names);
            assertThat(b.metrics()).hasSameSizeAs(a.metrics());
            for (int k = 0; k < names.size(); k++) {
                MetricSpec was = a.metrics().get(names.get(k)), is = b.metrics().get("metric_" + (k + 1));
                assertThat(is.kind()).isEqualTo(was.kind());
                assertThat(is.bad()).isEqualTo(was.bad());
                assertThat(is.unit()).isEqualTo(naming == GeneratorSettings.Naming.OPAQUE ? was.unit() : "");
                // nothing in the name to go by: a reader must infer the role from what is left
                assertThat(is.role()).isEqualTo(MetricSpec.of(is.name(), is.kind(), is.bad()).role());
                for (String instance : a.instanceIds())
                    assertThat(b.observations().series(instance, is.name())).isEqualTo(a.observations().series(instance, was.name()));
            }
        }
    }

    @Test
    void refusesToWriteIntoAFolderThatIsNotEmpty() throws Exception {
        Files.writeString(dir.resolve("x"), "");
        assertThatThrownBy(() -> CorpusGenerator.write(dir, GeneratorSettings.of(1, 1), 1, n -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
    }
}
