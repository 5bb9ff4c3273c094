package io.graywatch.replay.harness;

import io.graywatch.core.guard.Judge;
import io.graywatch.replay.corpus.CaseProblem;
import io.graywatch.replay.corpus.CaseReader;
import io.graywatch.replay.corpus.Corpus;
import io.graywatch.replay.corpus.ReleaseCase;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Replays every case of a corpus, several at a time, with results in corpus order whatever the
 * threads did: each case is read, replayed with a judge of its own and dropped, so memory stays
 * flat and the output is the same on any number of threads.
 */
public final class ReplayRun {
    /** Hears how the run goes; called from worker threads. */
    public interface Listener {
        void progress(int done, int total);

        void warning(String message);
    }

    /** One replayed case and what the caller attached to it while the case was in memory. */
    public record Replayed<T>(CaseOutcome outcome, T attachment) {
    }

    /** A case that could not be read, with the file and line at fault. */
    public record Skipped(Path dir, String problem) {
    }

    /** @param replayed in corpus order */
    public record Result<T>(List<Replayed<T>> replayed, List<Skipped> skipped, double secondsElapsed) {
    }

    private ReplayRun() {
    }

    /**
     * @param judges  makes a judge for each case, so no state can leak from case to case
     * @param attach  computes what the caller needs from the case while it is loaded (e.g. a chart); may return null
     */
    public static <T> Result<T> run(Path corpus, ReplayHarness harness, Supplier<Judge> judges, int threads, Listener listener,
                                    BiFunction<ReleaseCase, CaseOutcome, T> attach) throws IOException {
        long started = System.nanoTime();
        List<Path> dirs = Corpus.caseDirs(corpus);
        int total = dirs.size();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "replay");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Object>> futures = new ArrayList<>();
            int[] done = {0};
            for (Path dir : dirs) {
                futures.add(pool.submit(() -> {
                    Object result = replayOne(dir, harness, judges, listener, attach);
                    synchronized (done) {
                        listener.progress(++done[0], total);
                    }
                    return result;
                }));
            }
            List<Replayed<T>> replayed = new ArrayList<>();
            List<Skipped> skipped = new ArrayList<>();
            Map<String, Path> seen = new HashMap<>();
            for (int i = 0; i < futures.size(); i++) {
                Object r = get(futures.get(i));
                if (r instanceof Skipped s) {
                    skipped.add(s);
                    continue;
                }
                @SuppressWarnings("unchecked") Replayed<T> rep = (Replayed<T>) r;
                Path other = seen.putIfAbsent(rep.outcome().caseId(), dirs.get(i));
                if (other != null) {
                    skipped.add(new Skipped(dirs.get(i), dirs.get(i).resolve("case.json") + ": case id '" + rep.outcome().caseId()
                            + "' is also the id of " + other + "; ids must be unique in a corpus"));
                    continue;
                }
                replayed.add(rep);
            }
            return new Result<>(replayed, skipped, (System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> Object replayOne(Path dir, ReplayHarness harness, Supplier<Judge> judges, Listener listener,
                                        BiFunction<ReleaseCase, CaseOutcome, T> attach) {
        CaseReader.Loaded loaded;
        try {
            loaded = CaseReader.read(dir);
        } catch (CaseProblem p) {
            listener.warning("skipped " + p.describe());
            return new Skipped(dir, p.describe());
        }
        for (String w : loaded.warnings()) listener.warning(dir.getFileName() + ": " + w);
        ReleaseCase c = loaded.releaseCase();
        if (!dir.getFileName().toString().equals(c.id()))
            listener.warning(dir + ": folder name differs from case id '" + c.id() + "'; the id is used");
        CaseOutcome outcome = harness.replayOrSayWhy(c, judges.get(), why -> listener.warning(dir.getFileName() + ": " + why));
        return new Replayed<>(outcome, attach.apply(c, outcome));
    }

    private static Object get(Future<Object> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("replay interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IOException(e.getCause());
        }
    }
}
