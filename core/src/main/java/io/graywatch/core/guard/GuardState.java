package io.graywatch.core.guard;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a guard carries from one round to the next: for each finding key, whether it was
 * suspicious in each of the recent rounds (oldest first). Plain data, so the server can store it
 * as JSON and a restarted server resumes the vote where it was.
 */
public record GuardState(int rounds, Map<String, List<Boolean>> suspicion) {
    public GuardState {
        Map<String, List<Boolean>> copy = new TreeMap<>();
        suspicion.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        suspicion = Collections.unmodifiableMap(copy);
    }

    public static GuardState initial() {
        return new GuardState(0, Map.of());
    }
}
