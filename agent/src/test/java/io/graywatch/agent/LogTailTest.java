package io.graywatch.agent;

import io.graywatch.agent.tail.LogTail;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.logs.LogParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LogTailTest {
    @TempDir
    Path dir;

    static String error(int i) {
        return "2024-03-01 10:00:" + String.format("%02d", i % 60) + ".000 ERROR [exec-1] c.e.shop.Http - timeout after " + (1000 + i) + " ms calling 10.0.0." + (i % 250) + "\n";
    }

    static final String STACK = """
            2024-03-01 10:00:05.000 ERROR [exec-2] c.e.shop.OrderController - order 42 failed
            java.lang.IllegalStateException: could not price order 42
            \tat com.example.shop.PricingService.price(PricingService.java:88)
            \tat com.example.shop.OrderController.create(OrderController.java:41)
            Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule
            \tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)
            \tat com.example.shop.PricingService.rule(PricingService.java:120)
            \t... 2 more
            """;

    LogTail tail(String glob, LogParser.Config parser) {
        return new LogTail(LogTail.Options.of(List.of(dir.resolve(glob).toString())).withParser(parser).withFromStart(true)
                .withQuietPeriods(Duration.ZERO, Duration.ZERO), () -> 1709287200L);
    }

    LogTail tail(String glob) {
        return tail(glob, LogParser.Config.defaults().withMinLevel(io.graywatch.core.logs.LogLevel.WARN));
    }

    static void append(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Events per template (or exception type) over everything drained. */
    static Map<String, Long> totals(List<LogGrouper.Activity> activity) {
        Map<String, Long> out = new HashMap<>();
        for (LogGrouper.Activity a : activity) {
            LogGroup g = a.group();
            out.merge(g.kind() == LogGroup.Kind.EXCEPTION ? g.rootCauseType() : g.template(), a.total(), Long::sum);
        }
        return out;
    }

    @Test
    void followsRotationByRenameWithoutLosingOrRepeatingLines() throws IOException {
        Path log = dir.resolve("app.log");
        for (int i = 0; i < 10; i++) append(log, error(i));
        try (LogTail t = tail("*.log")) {
            t.poll();
            // logrotate renames the file; the app writes two more lines into it before it reopens its log
            Files.move(log, dir.resolve("app.log.1"));
            for (int i = 10; i < 12; i++) append(dir.resolve("app.log.1"), error(i));
            for (int i = 12; i < 20; i++) append(log, error(i));
            t.poll();
            t.poll();
            append(log, STACK);
            t.poll();
            t.flush();

            assertThat(totals(t.drain())).containsEntry("timeout after <*> ms calling <*>", 20L)
                    .containsEntry("java.lang.ClassNotFoundException", 1L);
            assertThat(t.stats().rotations()).isEqualTo(1);
            assertThat(t.files()).containsExactly(log);
        }
    }

    @Test
    void followsCopyTruncateRotation() throws IOException {
        Path log = dir.resolve("app.log");
        for (int i = 0; i < 10; i++) append(log, error(i));
        try (LogTail t = tail("app.log")) {
            t.poll();
            Files.copy(log, dir.resolve("app.log.1"), StandardCopyOption.REPLACE_EXISTING);
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
                f.setLength(0);
            }
            for (int i = 10; i < 13; i++) append(log, error(i));
            t.poll();
            assertThat(totals(t.drain())).containsEntry("timeout after <*> ms calling <*>", 13L);

            // truncated again, and the app wrote more than before by the next poll: the file's first bytes tell
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
                f.setLength(0);
            }
            append(log, STACK);
            for (int i = 100; i < 110; i++) append(log, error(i));
            t.poll();
            t.flush();
            assertThat(totals(t.drain())).containsEntry("timeout after <*> ms calling <*>", 10L).containsEntry("java.lang.ClassNotFoundException", 1L);
            assertThat(t.stats().truncations()).isEqualTo(2);
        }
    }

    @Test
    void cutsATenMegabyteLineAndCountsIt() throws IOException {
        Path log = dir.resolve("app.log");
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        byte[] head = "2024-03-01 10:00:00.000 ERROR [main] c.e.Dump - state: ".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, huge, 0, head.length);
        append(log, error(1));
        Files.write(log, huge, StandardOpenOption.APPEND);
        append(log, "\n" + error(2));
        try (LogTail t = tail("app.log")) {
            t.poll();
            t.flush();
            Map<String, Long> totals = totals(t.drain());
            assertThat(totals).containsEntry("timeout after <*> ms calling <*>", 2L).hasSize(2);
            assertThat(t.stats().parsed().truncatedLines()).isEqualTo(1);
            assertThat(t.stats().parsed().lines()).isEqualTo(3);
        }
    }

    @Test
    void survivesBinaryGarbageAndCountsIt() throws IOException {
        Path log = dir.resolve("app.log");
        append(log, error(1));
        byte[] garbage = new byte[64 * 1024];
        new Random(3).nextBytes(garbage);
        Files.write(log, garbage, StandardOpenOption.APPEND);
        append(log, "\n" + error(2));
        try (LogTail t = tail("app.log")) {
            t.poll();
            t.flush();
            assertThat(totals(t.drain())).containsEntry("timeout after <*> ms calling <*>", 2L);
            assertThat(t.stats().parsed().binaryLines()).isPositive();
        }
    }

    @Test
    void waitsForTheNewlineOfAPartialLastLine() throws IOException {
        Path log = dir.resolve("app.log");
        String line = error(7);
        append(log, line.substring(0, 40));
        try (LogTail t = tail("app.log")) {
            t.poll();
            t.flush();
            assertThat(t.drain()).isEmpty();
            append(log, line.substring(40));
            t.poll();
            t.flush();
            assertThat(totals(t.drain())).containsEntry("timeout after <*> ms calling <*>", 1L);
        }
    }

    @Test
    void waitsForTheRestOfAStackTraceWrittenInTwoParts() throws IOException {
        Path log = dir.resolve("app.log");
        int cut = STACK.indexOf("Caused by");
        append(log, STACK.substring(0, cut));
        LogTail t = new LogTail(LogTail.Options.of(List.of(log.toString())).withFromStart(true).withQuietPeriods(Duration.ofMinutes(1), Duration.ZERO));
        try (t) {
            t.poll();
            assertThat(t.drain()).isEmpty();
            append(log, STACK.substring(cut));
            t.poll();
            t.flush();
            assertThat(t.drain()).singleElement().satisfies(a -> {
                assertThat(a.group().rootCauseType()).isEqualTo("java.lang.ClassNotFoundException");
                assertThat(a.samples().get(0)).endsWith("\t... 2 more");
            });
        }
    }

    @Test
    void readsGbkLogs() throws IOException {
        Path log = dir.resolve("app.log");
        Charset gbk = Charset.forName("GBK");
        Files.writeString(log, "2024-03-01 10:00:00.000 ERROR [main] c.e.Db - 数据库连接超时 after 3000 ms\n"
                + "2024-03-01 10:00:01.000 ERROR [main] c.e.Db - 数据库连接超时 after 5000 ms\n", gbk);
        for (Charset cs : new Charset[]{gbk, null}) {
            try (LogTail t = tail("app.log", LogParser.Config.defaults().withCharset(cs))) {
                t.poll();
                t.flush();
                assertThat(t.drain()).singleElement().satisfies(a -> {
                    assertThat(a.group().template()).isEqualTo("数据库连接超时 after <*> ms");
                    assertThat(a.total()).isEqualTo(2);
                });
            }
        }
    }

    @Test
    void startsAtTheEndOfFilesThatExistedUnlessToldOtherwise() throws IOException {
        Path log = dir.resolve("app.log");
        append(log, error(1));
        try (LogTail t = new LogTail(LogTail.Options.of(List.of(log.toString())).withQuietPeriods(Duration.ZERO, Duration.ZERO))) {
            t.poll();
            append(log, error(2));
            t.poll();
            t.flush();
            assertThat(totals(t.drain())).containsEntry("timeout after <*> ms calling <*>", 1L);
        }
    }
}
