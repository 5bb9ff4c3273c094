package io.graywatch.server.replay;

import io.graywatch.replay.report.Summary;

import java.time.Instant;
import java.util.List;

/**
 * One replay of recorded releases through an algorithm, as the API and the pages show it.
 *
 * @param algorithm   as asked: graywatch, kayenta or threshold
 * @param judge       the algorithm of the judge that ran, as it names itself (graywatch runs the live guards' judge)
 * @param app         the app whose releases were asked for, or null when they were listed
 * @param releaseIds  the releases replayed, oldest first
 * @param changed     how many releases got another verdict than the live guard gave
 * @param summary     the replay's summary (no labels: truth fields are null); null while it runs
 */
public record Replay(long id, String algorithm, String judge, String judgeVersion, String app, List<Long> releaseIds, State state,
                     String error, Instant createdAt, Instant finishedAt, int changed, Summary summary) {
    public enum State { RUNNING, DONE, FAILED }

    public Replay {
        releaseIds = List.copyOf(releaseIds);
    }
}
