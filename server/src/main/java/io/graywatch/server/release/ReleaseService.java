package io.graywatch.server.release;

import io.graywatch.core.metric.Observations;
import io.graywatch.server.ApiException;
import io.graywatch.server.app.AppService;
import io.graywatch.server.guard.GuardRecords;
import io.graywatch.server.guard.GuardRound;
import io.graywatch.server.guard.LogGroupTrend;
import org.springframework.stereotype.Service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the API and the UI do with releases: plan, read, and move them. */
@Service
public class ReleaseService {
    public static final int MAX_LIST = 1000;

    private final ReleasePlanner planner;
    private final ReleaseOrchestrator orchestrator;
    private final ReleaseStore store;
    private final GuardRecords records;
    private final AppService apps;

    ReleaseService(ReleasePlanner planner, ReleaseOrchestrator orchestrator, ReleaseStore store, GuardRecords records, AppService apps) {
        this.planner = planner;
        this.orchestrator = orchestrator;
        this.store = store;
        this.records = records;
        this.apps = apps;
    }

    public Release plan(ReleasePlanRequest request) {
        return orchestrator.create(planner.plan(request));
    }

    public Release get(long id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("release " + id + " not found"));
    }

    /** Newest first; app and state may be null. */
    public List<Release> list(String app, ReleaseState state, int limit) {
        if (app != null) apps.get(app);
        if (limit < 1 || limit > MAX_LIST) throw ApiException.badRequest("limit: must be between 1 and " + MAX_LIST);
        return store.list(app, state, limit);
    }

    public List<GuardRound> rounds(long id) {
        get(id);
        return records.rounds(id);
    }

    public List<ReleaseAction> actions(long id) {
        get(id);
        return store.actions(id);
    }

    public ReleaseReport report(long id) {
        return new ReleaseReport(get(id), records.rounds(id), store.actions(id));
    }

    /** The metric samples the guard read for this release, of one metric or (null) all. */
    public Observations samples(long id, String metric) {
        get(id);
        return records.samples(id, metric);
    }

    /** The log groups the guard read for this release, with their counts on the release and reference groups. */
    public List<LogGroupTrend> logs(long id) {
        Release r = get(id);
        return LogGroupTrend.of(records.logs(id), switchedAt(r));
    }

    /** When each instance switched to the new version: the start of the first deployed batch that has it. */
    public static Map<String, Long> switchedAt(Release r) {
        Map<String, Long> out = new HashMap<>();
        for (ReleaseBatch b : r.batches()) {
            if (b.startedAt() == null) continue;
            for (String i : b.instances()) out.merge(i, b.startedAt().getEpochSecond(), Math::min);
        }
        return out;
    }

    public Release start(long id, String reason) {
        return orchestrator.start(id, reason);
    }

    public Release pause(long id, String reason) {
        return orchestrator.pause(id, reason);
    }

    public Release resume(long id, String reason) {
        return orchestrator.resume(id, reason);
    }

    public Release rollBack(long id, String reason) {
        return orchestrator.rollBack(id, reason);
    }

    public Release close(long id, String reason) {
        return orchestrator.close(id, reason);
    }
}
