package io.graywatch.server.replay;

import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.replay.harness.FingerprintLogGrouping;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Recorded log groups become corpus log events that a replay groups into the same groups again. */
class RecordedLogsTest {
    private static final String STACK = """
            java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule
            \tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)
            \tat com.example.shop.pricing.Prices.rules(Prices.java:42)""";

    @Test
    void eachCountIsOneLineStandingForItsEventsAtItsBucket() {
        FingerprintLogGrouping agent = new FingerprintLogGrouping();
        LogGroup exception = agent.groupOf(new LogEvent(100, "shop-2", "ERROR", null, STACK.lines().findFirst().orElseThrow(), STACK, 1));
        LogGroup line = agent.groupOf(new LogEvent(100, "shop-1", "ERROR", null, "payment timed out after 3000 ms", null, 1));
        LogData data = new LogData(Map.of(exception.id(), exception, line.id(), line),
                List.of(new LogCount(115, "shop-2", exception.id(), 7), new LogCount(110, "shop-1", line.id(), 2),
                        new LogCount(110, "shop-1", "gone", 3)), 5);

        List<LogEvent> events = RecordedLogs.events(data);

        assertThat(events).extracting(LogEvent::timestamp).containsExactly(110L, 115L);
        assertThat(events.get(1).stack()).isEqualTo(STACK);
        assertThat(events.get(1).message()).isEqualTo("java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule");
        assertThat(events.get(1).count()).isEqualTo(7);
        assertThat(events.get(0).stack()).isNull();
        FingerprintLogGrouping replay = new FingerprintLogGrouping();
        assertThat(events).extracting(e -> replay.groupOf(e).id()).containsExactly(line.id(), exception.id());
    }
}
