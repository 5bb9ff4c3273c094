package io.graywatch.server.guard;

import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.RoundResult;

/**
 * One round before it is stored: what the guard read, what the judge concluded, and which
 * algorithm concluded it.
 *
 * @param from the start of the window read (Unix seconds); the window ends at {@code input.now()}
 */
public record JudgedRound(GuardInput input, RoundResult result, String algorithm, String algorithmVersion, long from) {
}
