package io.graywatch.agent.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Grouping accuracy as the log-parsing benchmarks define it (Zhu et al., ICSE-SEIP 2019): an
 * event is grouped correctly when the set of events in its predicted group is exactly the set in
 * its true group; the accuracy is the share of such events.
 *
 * @param events          events scored
 * @param correct         events whose predicted group equals their true group
 * @param trueGroups      distinct true groups
 * @param predictedGroups distinct predicted groups
 */
public record GroupingAccuracy(long events, long correct, int trueGroups, int predictedGroups) {

    public double accuracy() {
        return events == 0 ? 1 : (double) correct / events;
    }

    /** Scores predicted against true labels, event by event. */
    public static GroupingAccuracy of(int[] truth, int[] predicted, int n) {
        Map<Integer, Integer> truthSize = new HashMap<>(), predictedSize = new HashMap<>();
        Map<Long, Integer> overlap = new HashMap<>();
        for (int i = 0; i < n; i++) {
            truthSize.merge(truth[i], 1, Integer::sum);
            predictedSize.merge(predicted[i], 1, Integer::sum);
            overlap.merge(((long) predicted[i] << 32) | (truth[i] & 0xFFFFFFFFL), 1, Integer::sum);
        }
        long correct = 0;
        Set<Integer> seen = new HashSet<>();
        for (Map.Entry<Long, Integer> e : overlap.entrySet()) {
            int p = (int) (e.getKey() >> 32), t = (int) (long) e.getKey();
            int both = e.getValue();
            if (both == predictedSize.get(p) && both == truthSize.get(t) && seen.add(p)) correct += both;
        }
        return new GroupingAccuracy(n, correct, truthSize.size(), predictedSize.size());
    }
}
