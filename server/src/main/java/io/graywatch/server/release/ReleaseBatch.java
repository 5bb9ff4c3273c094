package io.graywatch.server.release;

import io.graywatch.core.verdict.Verdict;

import java.time.Instant;
import java.util.List;

/**
 * One batch of a release.
 *
 * @param startedAt      when its deploy was done: the moment its instances switched version
 * @param observingSince when the current observation began (the deploy, or the latest resume)
 * @param observeUntil   when the current observation window ends
 * @param verdict        the batch's verdict: the last round's when its window ended, or the FAIL that stopped it
 */
public record ReleaseBatch(int index, List<String> instances, boolean preRelease, BatchState state, Verdict verdict,
                           Instant startedAt, Instant observingSince, Instant observeUntil, Instant endedAt) {
    public ReleaseBatch {
        instances = List.copyOf(instances);
    }
}
