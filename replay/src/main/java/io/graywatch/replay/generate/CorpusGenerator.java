package io.graywatch.replay.generate;

import io.graywatch.replay.corpus.CaseProblem;
import io.graywatch.replay.corpus.CaseWriter;
import io.graywatch.replay.corpus.Csv;
import io.graywatch.replay.corpus.Label;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Writes a generated, labelled corpus: the case folders, labels.csv, and {@value #ANNEX}, which
 * says what the generator put in each case (fault kind and intensity, traps). The annex is not
 * part of the corpus format: replay reads it only to annotate its report's mistakes.
 */
public final class CorpusGenerator {
    public static final String ANNEX = "generated.csv";

    private CorpusGenerator() {
    }

    /**
     * @param progress told the number of cases written so far
     * @throws IllegalArgumentException when {@code out} exists and is not empty
     */
    public static void write(Path out, GeneratorSettings settings, int threads, IntConsumer progress) throws IOException {
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new IllegalArgumentException(out + " is not empty: generate into a new or empty folder");
            }
        }
        Files.createDirectories(out);
        boolean[] bad = badCases(settings);
        CaseGenerator.Generated[] done = new CaseGenerator.Generated[settings.cases()];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> futures = new ArrayList<>();
            int[] count = {0};
            for (int i = 0; i < settings.cases(); i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    CaseGenerator.Generated g = CaseGenerator.generate(settings, index, bad[index]);
                    try {
                        CaseWriter.write(out.resolve(g.releaseCase().id()), g.releaseCase());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    done[index] = g;
                    synchronized (count) {
                        progress.accept(++count[0]);
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Map<String, Label> labels = new LinkedHashMap<>();
        StringBuilder annex = new StringBuilder("case,fault,intensity,traps\n");
        for (CaseGenerator.Generated g : done) {
            labels.put(g.label().caseId(), g.label());
            annex.append(Csv.field(g.label().caseId())).append(',').append(g.fault() == null ? "" : g.fault().name().toLowerCase(Locale.ROOT)).append(',')
                    .append(g.fault() == null ? "" : String.format(Locale.ROOT, "%.2f", g.intensity())).append(',')
                    .append(String.join(" ", g.traps().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList())).append('\n');
        }
        CaseWriter.writeLabels(out.resolve("labels.csv"), labels);
        Files.writeString(out.resolve(ANNEX), annex.toString(), StandardCharsets.UTF_8);
    }

    /** Exactly round(cases × badShare) bad cases, spread by a seeded shuffle so the id says nothing. */
    private static boolean[] badCases(GeneratorSettings s) {
        int n = s.cases();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Rng rng = new Rng(Rng.caseSeed(s.seed(), -1));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.integer(0, i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] bad = new boolean[n];
        long badCount = Math.round(n * s.badShare());
        for (int i = 0; i < badCount; i++) bad[order[i]] = true;
        return bad;
    }

    /**
     * What the generator put in each case, from the annex beside a labels file (empty when there
     * is none): a sentence per case, and tags ({@code fault: latency}, {@code trap: low_traffic},
     * {@code no trap}) for the report's breakdown.
     */
    public record Annex(Map<String, String> notes, Map<String, List<String>> tags) {
        public static Annex read(Path labelsFile) {
            Map<String, String> notes = new LinkedHashMap<>();
            Map<String, List<String>> tags = new LinkedHashMap<>();
            Path parent = labelsFile == null ? null : labelsFile.toAbsolutePath().getParent();
            Path annex = parent == null ? null : parent.resolve(ANNEX);
            if (annex == null || !Files.isRegularFile(annex)) return new Annex(notes, tags);
            try {
                Csv.readRows(annex, List.of("case", "fault", "intensity", "traps"), (n, field) -> {
                    String fault = field.apply("fault"), traps = field.apply("traps").strip();
                    List<String> t = new ArrayList<>();
                    if (!fault.isEmpty()) t.add("fault: " + fault);
                    if (traps.isEmpty()) t.add("no trap");
                    else for (String trap : traps.split(" ")) t.add("trap: " + trap);
                    tags.put(field.apply("case"), t);
                    notes.put(field.apply("case"), "generated as " + (fault.isEmpty() ? "good" : "bad: " + fault + " (intensity " + field.apply("intensity") + ")")
                            + (traps.isEmpty() ? "" : "; traps: " + traps));
                });
            } catch (CaseProblem e) {
                // the annex only annotates a report; a damaged one is left out rather than stopping the replay
                return new Annex(Map.of(), Map.of());
            }
            return new Annex(notes, tags);
        }
    }
}
