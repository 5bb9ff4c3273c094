package io.graywatch.agent;

import io.graywatch.agent.bench.GroupingAccuracy;
import io.graywatch.agent.bench.LogGenerator;
import io.graywatch.agent.logs.FileGrouping;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.logs.LogParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class GroupingAccuracyTest {

    @Test
    void groupsALabelledLogAccurately(@TempDir Path dir) throws Exception {
        LogGenerator gen = new LogGenerator(42, 0.05);
        StringBuilder sb = new StringBuilder();
        List<Long> starts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            starts.add(gen.lines() + 1);
            labels.add(gen.next(sb));
        }
        Path log = dir.resolve("shop.log");
        Files.writeString(log, sb, StandardCharsets.UTF_8);

        FileGrouping g = FileGrouping.of(List.of(log), LogParser.Config.defaults(), LogGrouper.Config.defaults());

        // every event is found where it starts: the multi-line assembly loses and merges nothing
        assertThat(g.size()).isEqualTo(labels.size());
        int[] truth = new int[g.size()], predicted = new int[g.size()];
        for (int i = 0; i < g.size(); i++) {
            assertThat(g.line(i)).isEqualTo(starts.get(i));
            truth[i] = labels.get(i);
            predicted[i] = g.handle(i);
        }
        GroupingAccuracy a = GroupingAccuracy.of(truth, predicted, g.size());
        System.out.printf("grouping accuracy %.4f on %d events (%d stack events): %d true groups, %d found%n", a.accuracy(), a.events(),
                gen.stackEvents(), a.trueGroups(), a.predictedGroups());
        report(truth, predicted, g);
        assertThat(a.accuracy()).isGreaterThan(0.9);
        // the exception bugs are grouped exactly, whatever the version, proxy, lambda or message
        for (int i = 0; i < g.size(); i++) if (truth[i] >= LogGenerator.EXCEPTION_LABELS) assertThat(g.group(i).kind()).isEqualTo(LogGroup.Kind.EXCEPTION);
    }

    private static void report(int[] truth, int[] predicted, FileGrouping g) {
        Map<Integer, Map<Integer, Integer>> byTruth = new TreeMap<>();
        for (int i = 0; i < truth.length; i++) byTruth.computeIfAbsent(truth[i], k -> new HashMap<>()).merge(predicted[i], 1, Integer::sum);
        byTruth.forEach((t, m) -> {
            if (m.size() > 1) System.out.println("  true group " + t + " split into " + m.size() + ": " + m.keySet().stream().limit(4).map(h -> g.groupOf(h).template()).toList());
        });
    }
}
