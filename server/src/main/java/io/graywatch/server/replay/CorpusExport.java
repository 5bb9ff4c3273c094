package io.graywatch.server.replay;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.corpus.CaseWriter;
import io.graywatch.replay.corpus.RecordedGuard;
import io.graywatch.replay.corpus.ReleaseCase;
import io.graywatch.replay.harness.CaseOutcome;
import io.graywatch.replay.report.Verdicts;
import io.graywatch.server.ApiException;
import io.graywatch.server.app.GuardSettings;
import io.graywatch.server.guard.GuardRecords;
import io.graywatch.server.guard.GuardRound;
import io.graywatch.server.guard.GuardRunner;
import io.graywatch.server.release.Release;
import io.graywatch.server.release.ReleaseBatch;
import io.graywatch.server.release.ReleaseGuard;
import io.graywatch.server.release.ReleaseService;
import io.graywatch.server.release.ReleaseStore;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Turns recorded releases into replay corpus cases (see the corpus FORMAT.md): the app's metrics
 * and guard settings as the release was planned with, the instances the guard read with their
 * versions, the batches at the moments their deploys were done, every sample the rounds read, and
 * in case.json's {@code guard} object the live rounds (moment, batches seen), so that a replay judges each
 * release at the moments and with the settings the live guard did. The live verdicts go in
 * {@code live-verdicts.csv} (verdicts.csv's format), never in labels.csv: nobody has said yet
 * whether a live release was really bad.
 */
@Service
public class CorpusExport {
    public static final String LIVE_VERDICTS = "live-verdicts.csv";

    private final ReleaseService releases;
    private final ReleaseStore store;
    private final GuardRecords records;
    private final RecordedLogs logs;

    CorpusExport(ReleaseService releases, ReleaseStore store, GuardRecords records, RecordedLogs logs) {
        this.releases = releases;
        this.store = store;
        this.records = records;
        this.logs = logs;
    }

    /** The case id of a release: {@code release-<id>-<app>-<version>}, in the characters a case id allows. */
    public static String caseId(Release r) {
        String id = ("release-" + r.id() + "-" + r.app() + "-" + r.version()).replaceAll("[^A-Za-z0-9._-]", "_");
        return id.length() <= 128 ? id : id.substring(0, 128);
    }

    /**
     * @throws ApiException 404 for an unknown release, 409 for one the guard has not judged yet
     */
    public RecordedRelease recorded(long id) {
        Release r = releases.get(id);
        List<GuardRound> rounds = records.rounds(id);
        List<Batch> batches = new ArrayList<>();
        for (ReleaseBatch b : r.batches()) {
            if (b.startedAt() != null) batches.add(new Batch(b.index(), b.startedAt().getEpochSecond(), b.instances(), b.preRelease()));
        }
        if (batches.isEmpty() || rounds.isEmpty()) {
            throw ApiException.conflict("release " + id + " is " + r.state() + " and its guard has not judged it yet: "
                    + "only a release with at least one guard round can be exported or replayed");
        }
        ReleaseGuard guard = store.guard(id);
        GuardSettings s = guard.settings();
        String caseId = caseId(r);
        Map<String, MetricSpec> metrics = new LinkedHashMap<>();
        // what the rounds read: the start time too, from which a replay, like the live guard, tells restarts
        GuardRunner.withStartTime(guard.metrics()).forEach(m -> metrics.put(m.name(), m));
        Observations samples = records.samples(id, null);
        Set<String> released = new TreeSet<>();
        batches.forEach(b -> released.addAll(b.instances()));
        Set<String> all = new TreeSet<>(records.fleet(id));
        all.addAll(samples.instances());
        all.addAll(released);
        Map<String, String> instances = new LinkedHashMap<>();
        for (String i : all) instances.put(i, released.contains(i) ? r.version() : r.fromVersion());
        long start = batches.get(0).at();
        long end = rounds.get(rounds.size() - 1).at().getEpochSecond();
        GuardRound lastRound = rounds.get(rounds.size() - 1);
        RecordedGuard recordedGuard = new RecordedGuard(lastRound.algorithm(), lastRound.algorithmVersion(), s.analysisIntervalSeconds(),
                s.warmupSeconds(), s.historySeconds(), s.voteK(), s.voteN(), s.dangerousExceptions(), records.logBucketSeconds(id),
                recordedRounds(rounds, batches, records.states(id)), s.successRateFloorPercent());
        ReleaseCase c = new ReleaseCase(caseId, r.app(), s.stepSeconds(), metrics, instances, r.fromVersion(), r.version(), start, batches,
                end, start - s.historySeconds(), end, samples, logs.of(r), recordedGuard);
        return new RecordedRelease(r, c, live(caseId, rounds, start));
    }

    /**
     * The recorded releases a request names: the listed ones (each must exist and have been judged),
     * or the app's releases created in {@code [from, to)} that its guard judged, oldest first.
     *
     * @throws ApiException 400 for a request that names both or neither, 404 when nothing matches
     */
    public List<RecordedRelease> select(List<Long> releaseIds, String app, Instant from, Instant to) {
        boolean byId = releaseIds != null && !releaseIds.isEmpty();
        if (byId == (app != null && !app.isBlank())) {
            throw ApiException.badRequest("name the releases either by releaseIds (a non-empty list) or by app (with optional from and to), "
                    + (byId ? "not both" : "got neither"));
        }
        if (byId) {
            if (from != null || to != null) throw ApiException.badRequest("from and to select an app's releases: leave them out with releaseIds");
            if (releaseIds.size() > ReleaseService.MAX_LIST) throw ApiException.badRequest("releaseIds: at most " + ReleaseService.MAX_LIST + " releases at once");
            if (releaseIds.contains(null)) throw ApiException.badRequest("releaseIds: must hold release ids, got a null");
            return releaseIds.stream().distinct().map(this::recorded).toList();
        }
        if (from != null && to != null && !from.isBefore(to)) throw ApiException.badRequest("from must be before to, got " + from + " and " + to);
        List<RecordedRelease> out = new ArrayList<>();
        List<Release> newestFirst = releases.list(app, null, ReleaseService.MAX_LIST);
        for (Release r : newestFirst.stream().sorted(Comparator.comparingLong(Release::id)).toList()) {
            if ((from != null && r.createdAt().isBefore(from)) || (to != null && !r.createdAt().isBefore(to))) continue;
            if (r.verdict() == null) continue;
            out.add(recorded(r.id()));
        }
        if (out.isEmpty()) {
            throw ApiException.notFound("app '" + app + "' has no release judged by its guard"
                    + (from == null && to == null ? "" : " created" + (from == null ? "" : " from " + from) + (to == null ? "" : " before " + to)));
        }
        return out;
    }

    /**
     * Each round's moment, the batches it saw, and whether it started a fresh vote: a resume clears
     * the guard's state, which shows as a round whose state counts one round after one that counted more.
     */
    private static List<RecordedGuard.Round> recordedRounds(List<GuardRound> rounds, List<Batch> batches, List<GuardState> states) {
        List<RecordedGuard.Round> out = new ArrayList<>();
        for (int k = 0; k < rounds.size(); k++) {
            GuardRound g = rounds.get(k);
            boolean fresh = k > 0 && states.get(k).rounds() == 1 && states.get(k - 1).rounds() >= 1;
            out.add(new RecordedGuard.Round(g.at().getEpochSecond(), (int) batches.stream().filter(b -> b.index() <= g.batch()).count(), fresh));
        }
        return out;
    }

    private static CaseOutcome live(String caseId, List<GuardRound> rounds, long firstBatchAt) {
        GuardRound decided = rounds.stream().filter(g -> g.verdict() == Verdict.FAIL).findFirst().orElse(rounds.get(rounds.size() - 1));
        int count = rounds.indexOf(decided) + 1;
        Long decidedAt = decided.verdict() == Verdict.FAIL ? decided.at().getEpochSecond() : null;
        return new CaseOutcome(caseId, decided.verdict(), decidedAt, decided.reason(), decided.findings(), count, firstBatchAt);
    }

    /** Writes the releases as a corpus folder: one case folder each and live-verdicts.csv. */
    public void write(Path corpus, List<RecordedRelease> recorded) throws IOException {
        Files.createDirectories(corpus);
        for (RecordedRelease r : recorded) CaseWriter.write(corpus.resolve(r.releaseCase().id()), r.releaseCase());
        Verdicts.write(corpus.resolve(LIVE_VERDICTS), recorded.stream().map(RecordedRelease::live).toList());
    }

    /** The corpus of these releases as a zip: case folders at its root, as {@code corpus export} unpacks it. */
    public void zip(List<RecordedRelease> recorded, OutputStream out) throws IOException {
        Path dir = Files.createTempDirectory("graywatch-corpus-");
        try {
            write(dir, recorded);
            ZipOutputStream zip = new ZipOutputStream(out);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, zip);
                    zip.closeEntry();
                }
            }
            zip.finish();
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
