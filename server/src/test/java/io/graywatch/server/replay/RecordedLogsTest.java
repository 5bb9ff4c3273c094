package io.graywatch.server.replay;

import io.graywatch.core.logs.LogGroup;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.replay.harness.FingerprintLogGrouping;
import io.graywatch.server.guard.GuardRecords.RecordedCount;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Recorded log groups become corpus log events that a replay groups into the same groups again, no earlier than the live guard saw them. */
class RecordedLogsTest {
    private static final String STACK = """
            java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule
            \tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)
            \tat com.example.shop.pricing.Prices.rules(Prices.java:42)""";

    /** Samples as the agent ships them: the whole event, header line first. */
    private static final String AGENT_EXCEPTION = "2030-01-01 00:00:03.250 ERROR [http-nio-8080-exec-3] com.example.shop.OrderService - pricing failed\n"
            + STACK;
    private static final String AGENT_LINE = "2030-01-01 00:00:04.000 WARN  [http-nio-8080-exec-1] com.example.shop.client.InventoryClient - "
            + "timeout after 3000 ms calling 10.2.3.4";

    @Test
    void eachCountIsOneLineStandingForItsEventsAtItsBucket() {
        FingerprintLogGrouping agent = new FingerprintLogGrouping();
        LogGroup exception = agent.groupOf(new LogEvent(100, "shop-2", "ERROR", null, STACK.lines().findFirst().orElseThrow(), STACK, 1));
        LogGroup line = agent.groupOf(new LogEvent(100, "shop-1", "ERROR", null, "payment timed out after 3000 ms", null, 1));

        List<LogEvent> events = RecordedLogs.events(Map.of(exception.id(), exception, line.id(), line),
                List.of(new RecordedCount("shop-1", line.id(), 110, 120, 2), new RecordedCount("shop-2", exception.id(), 115, 120, 7),
                        new RecordedCount("shop-1", "gone", 110, 120, 3)), new long[]{120});

        assertThat(events).extracting(LogEvent::timestamp).containsExactly(110L, 115L);
        assertThat(events.get(1).stack()).isEqualTo(STACK);
        assertThat(events.get(1).message()).isEqualTo("java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule");
        assertThat(events.get(1).count()).isEqualTo(7);
        assertThat(events.get(0).stack()).isNull();
        FingerprintLogGrouping replay = new FingerprintLogGrouping();
        assertThat(events).extracting(e -> replay.groupOf(e).id()).containsExactly(line.id(), exception.id());
    }

    @Test
    void theAgentsSamplesLoseTheirHeaderSoAReplayGroupsThemAsTheAgentDid() {
        LogGroup exception = new LogGroup("e1", LogGroup.Kind.EXCEPTION, "ERROR", "java.lang.ClassNotFoundException",
                "java.lang.ClassNotFoundException", "t", AGENT_EXCEPTION);
        LogGroup timeout = new LogGroup("t1", LogGroup.Kind.TEMPLATE, "WARN", null, null, "timeout after <*> ms calling <*>", AGENT_LINE);

        List<LogEvent> events = RecordedLogs.events(Map.of("e1", exception, "t1", timeout),
                List.of(new RecordedCount("shop-2", "e1", 100, 105, 4), new RecordedCount("shop-1", "t1", 100, 105, 1)), new long[]{105});

        assertThat(events).extracting(LogEvent::message).containsExactlyInAnyOrder("pricing failed", "timeout after 3000 ms calling 10.2.3.4");
        assertThat(events).extracting(LogEvent::level).containsExactlyInAnyOrder("ERROR", "WARN");
        assertThat(events).filteredOn(e -> e.instance().equals("shop-2")).singleElement().satisfies(e -> assertThat(e.stack()).isEqualTo(STACK));
        FingerprintLogGrouping replay = new FingerprintLogGrouping(), direct = new FingerprintLogGrouping();
        LogEvent e = events.stream().filter(x -> x.instance().equals("shop-2")).findFirst().orElseThrow();
        assertThat(replay.groupOf(e).id()).isEqualTo(direct.groupOf(new LogEvent(100, "shop-2", "ERROR", null, "pricing failed", STACK, 1)).id());
    }

    @Test
    void eventsTheLiveGuardLearnedOfLateAreStampedAfterTheRoundThatMissedThem() {
        LogGroup g = new LogGroup("e1", LogGroup.Kind.EXCEPTION, "ERROR", "java.lang.ClassNotFoundException", null, "t", AGENT_EXCEPTION);
        long[] rounds = {100, 105, 110};

        List<LogEvent> events = RecordedLogs.events(Map.of("e1", g), List.of(
                new RecordedCount("shop-2", "e1", 90, 100, 1),    // seen by the first round: at its bucket
                new RecordedCount("shop-2", "e1", 102, 105, 2),   // seen by the first round after its bucket began: at its bucket
                new RecordedCount("shop-2", "e1", 104, 110, 3),   // the round at 105 missed it: just after that round
                new RecordedCount("shop-2", "e1", 98, 110, 1)), rounds);   // arrived two rounds late

        assertThat(events).extracting(LogEvent::timestamp, LogEvent::count).containsExactly(
                org.assertj.core.groups.Tuple.tuple(90L, 1L), org.assertj.core.groups.Tuple.tuple(102L, 2L),
                org.assertj.core.groups.Tuple.tuple(106L, 3L), org.assertj.core.groups.Tuple.tuple(106L, 1L));
    }
}
