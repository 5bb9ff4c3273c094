package io.graywatch.server.guard;

import io.graywatch.core.finding.Finding;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finding across the rounds that reported it: a guard reports the same signal (same key)
 * round after round while it lasts, and a person wants it once, as last seen.
 *
 * @param finding the finding as the latest round that reported it saw it
 * @param batch   the batch of that round
 * @param rounds  how many rounds reported it
 */
public record FindingSummary(Finding finding, int batch, Instant firstSeen, Instant lastSeen, int rounds) {

    /**
     * The distinct findings of these rounds (oldest first), the most severe first, then the most recent,
     * then in the order the latest round that reported them gave: the finding a verdict names comes first.
     */
    public static List<FindingSummary> of(List<GuardRound> rounds) {
        Map<String, FindingSummary> byKey = new LinkedHashMap<>();
        Map<String, Integer> place = new HashMap<>();
        for (GuardRound round : rounds) {
            for (int i = 0; i < round.findings().size(); i++) {
                Finding f = round.findings().get(i);
                place.put(f.key(), i);
                byKey.merge(f.key(), new FindingSummary(f, round.batch(), round.at(), round.at(), 1),
                        (seen, again) -> new FindingSummary(again.finding, again.batch, seen.firstSeen, again.lastSeen, seen.rounds + 1));
            }
        }
        return byKey.values().stream()
                .sorted(Comparator.comparing((FindingSummary s) -> s.finding.severity()).reversed()
                        .thenComparing(FindingSummary::lastSeen, Comparator.reverseOrder())
                        .thenComparing(s -> place.get(s.finding.key())))
                .toList();
    }
}
