package io.graywatch.agent;

import io.graywatch.agent.local.LocalLogSource;
import io.graywatch.agent.tail.LogTail;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalLogSourceTest {
    @TempDir
    Path dir;

    @Test
    void servesTheGroupsAndCountsOfInstancesTailedInProcess() throws Exception {
        Path a = Files.createDirectories(dir.resolve("shop-1")), b = Files.createDirectories(dir.resolve("shop-2"));
        Files.writeString(a.resolve("app.log"), LogTailTest.error(1) + LogTailTest.error(2) + LogTailTest.STACK);
        Files.writeString(b.resolve("app.log"), LogTailTest.error(3));
        long t0 = 1709287200L;
        try (LocalLogSource logs = new LocalLogSource(LogTail.Options.of(List.of()).withFromStart(true).withQuietPeriods(Duration.ZERO, Duration.ZERO),
                3600, () -> t0 + 30)) {
            logs.watch("shop", "shop-1", List.of(a.resolve("*.log").toString()));
            logs.watch("shop", "shop-2", List.of(b.resolve("*.log").toString()));
            logs.poll();
            logs.poll();

            LogData data = logs.fetch("shop", List.of("shop-1", "shop-2"), t0 - 60, t0 + 60);
            assertThat(data.bucketSeconds()).isEqualTo(10);
            assertThat(data.groups().values()).extracting(LogGroup::kind).containsExactlyInAnyOrder(LogGroup.Kind.EXCEPTION, LogGroup.Kind.TEMPLATE);
            LogGroup timeout = data.groups().values().stream().filter(g -> g.kind() == LogGroup.Kind.TEMPLATE).findFirst().orElseThrow();
            assertThat(data.counts()).filteredOn(c -> c.groupId().equals(timeout.id())).extracting(LogCount::instance, LogCount::count)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("shop-1", 2L), org.assertj.core.groups.Tuple.tuple("shop-2", 1L));
            LogGroup cnfe = data.groups().values().stream().filter(g -> g.kind() == LogGroup.Kind.EXCEPTION).findFirst().orElseThrow();
            assertThat(cnfe.sample()).contains("Caused by: java.lang.ClassNotFoundException");

            assertThat(logs.fetch("shop", List.of("shop-2"), t0 - 60, t0 + 60).counts()).hasSize(1);
            assertThat(logs.fetch("shop", List.of("shop-1"), t0 + 100, t0 + 200).counts()).isEmpty();
            assertThat(logs.fetch("other", List.of("shop-1"), t0 - 60, t0 + 60).groups()).isEmpty();
        }
    }
}
