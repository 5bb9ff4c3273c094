package io.graywatch.core.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogParserTest {
    static final String STACK = String.join("\n",
            "2024-03-01 10:00:00.123 ERROR [http-nio-8080-exec-1] c.e.shop.OrderController - order failed for user 42",
            "java.lang.IllegalStateException: could not price order 42",
            "\tat com.example.shop.PricingService.price(PricingService.java:88) ~[shop.jar:1.4]",
            "\tat com.example.shop.OrderController.create(OrderController.java:41) ~[shop.jar:1.4]",
            "\tat java.base/java.lang.Thread.run(Thread.java:833)",
            "\tSuppressed: java.io.IOException: close failed",
            "\t\tat com.example.shop.Db.close(Db.java:12)",
            "\t\t... 2 more",
            "Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule",
            "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)",
            "\tat com.example.shop.PricingService.rule(PricingService.java:120)",
            "\t... 3 more",
            "2024-03-01 10:00:01.000 INFO  [main] c.e.shop.App - still alive",
            "");

    static List<LogEvent> parse(LogParser.Config config, String text) {
        List<LogEvent> out = new ArrayList<>();
        LogParser p = new LogParser(config, out::add);
        p.feed(text);
        p.finish();
        return out;
    }

    @Test
    void joinsAStackTraceWithCausesSuppressedAndMoreIntoOneEvent() {
        List<LogEvent> events = parse(LogParser.Config.defaults(), STACK);

        assertThat(events).hasSize(2);
        LogEvent e = events.get(0);
        assertThat(e.lineNumber()).isEqualTo(1);
        assertThat(e.level()).isEqualTo(LogLevel.ERROR);
        assertThat(e.message()).isEqualTo("order failed for user 42");
        assertThat(e.epochSecond()).isEqualTo(ZonedDateTime.of(2024, 3, 1, 10, 0, 0, 0, ZoneId.of("UTC")).toEpochSecond());
        ThrowableInfo t = e.stack();
        assertThat(t.type()).isEqualTo("java.lang.IllegalStateException");
        assertThat(t.message()).isEqualTo("could not price order 42");
        assertThat(t.frames()).containsExactly("com.example.shop.PricingService.price(PricingService.java:88)",
                "com.example.shop.OrderController.create(OrderController.java:41)", "java.base/java.lang.Thread.run(Thread.java:833)");
        assertThat(t.suppressed()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("java.io.IOException");
            assertThat(s.omitted()).isEqualTo(2);
        });
        assertThat(t.root().type()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(t.root().message()).isEqualTo("com.example.shop.pricing.DiscountRule");
        assertThat(t.root().omitted()).isEqualTo(3);
        assertThat(e.text()).startsWith("2024-03-01 10:00:00.123 ERROR").contains("\t... 3 more").doesNotContain("still alive");
        assertThat(events.get(1).lineNumber()).isEqualTo(13);
        assertThat(events.get(1).message()).isEqualTo("still alive");
    }

    @Test
    void skipsEventsBelowTheMinimumLevelWithTheirStacks() {
        String log = "2024-03-01 10:00:00 INFO x.Y - retrying\njava.io.IOException: flaky\n\tat com.example.A.b(A.java:1)\n" + STACK;
        LogParser.Config c = LogParser.Config.defaults().withMinLevel(LogLevel.WARN);
        List<LogEvent> out = new ArrayList<>();
        LogParser p = new LogParser(c, out::add);
        p.feed(log);
        p.finish();

        assertThat(out).singleElement().satisfies(e -> assertThat(e.lineNumber()).isEqualTo(4));
        assertThat(p.stats().skippedEvents()).isEqualTo(2);
        assertThat(p.stats().lines()).isEqualTo(3 + 13);
    }

    @Test
    void aPartialLastLineWaitsForItsNewline() {
        List<LogEvent> out = new ArrayList<>();
        LogParser p = new LogParser(LogParser.Config.defaults(), out::add);
        p.feed("2024-03-01 10:00:00 ERROR a.B - first\n2024-03-01 10:00:01 ERROR a.B - sec");
        p.flushEvent();
        assertThat(out).extracting(LogEvent::message).containsExactly("first");
        assertThat(p.pendingLineBytes()).isPositive();

        p.feed("ond half\n");
        p.flushEvent();
        assertThat(out).extracting(LogEvent::message).containsExactly("first", "second half");
    }

    @Test
    void cutsAHugeLineAtTheLimitAndCountsIt() {
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        byte[] head = "2024-03-01 10:00:00 ERROR a.B - ".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, huge, 0, head.length);
        List<LogEvent> out = new ArrayList<>();
        LogParser p = new LogParser(LogParser.Config.defaults(), out::add);
        // in chunks, as a file is read
        for (int off = 0; off < huge.length; off += 65536) p.feed(huge, off, Math.min(65536, huge.length - off));
        p.feed("\n2024-03-01 10:00:01 ERROR a.B - after\n");
        p.finish();

        assertThat(out).hasSize(2);
        assertThat(out.get(0).truncated()).isTrue();
        assertThat(out.get(0).text()).hasSize(64 * 1024);
        assertThat(out.get(1).message()).isEqualTo("after");
        assertThat(out.get(1).lineNumber()).isEqualTo(2);
        assertThat(p.stats().truncatedLines()).isEqualTo(1);
    }

    @Test
    void dropsBinaryGarbageAndCountsIt() {
        byte[] garbage = new byte[5000];
        new java.util.Random(7).nextBytes(garbage);
        List<LogEvent> out = new ArrayList<>();
        LogParser p = new LogParser(LogParser.Config.defaults(), out::add);
        p.feed("2024-03-01 10:00:00 ERROR a.B - before\n");
        p.feed(garbage, 0, garbage.length);
        p.feed("\n2024-03-01 10:00:01 ERROR a.B - after\n");
        p.finish();

        assertThat(out).extracting(LogEvent::message).contains("before", "after");
        assertThat(p.stats().binaryLines()).isPositive();
        assertThat(out.get(out.size() - 1).lineNumber()).isEqualTo(p.stats().lines());
    }

    @Test
    void decodesGbkWhenToldAndWhenDetecting() {
        String line = "2024-03-01 10:00:00 ERROR c.e.Db - 数据库连接超时 after 3000 ms\n";
        Charset gbk = Charset.forName("GBK");
        for (LogParser.Config c : List.of(LogParser.Config.defaults().withCharset(gbk), LogParser.Config.defaults())) {
            List<LogEvent> out = new ArrayList<>();
            LogParser p = new LogParser(c, out::add);
            byte[] b = line.getBytes(gbk);
            p.feed(b, 0, b.length);
            p.finish();
            assertThat(out).singleElement().satisfies(e -> assertThat(e.message()).isEqualTo("数据库连接超时 after 3000 ms"));
        }
        assertThat(parse(LogParser.Config.defaults(), line)).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("数据库连接超时 after 3000 ms"));
    }

    @Test
    void readsHeaderlessStacksAndMultiLineExceptionMessages() {
        String log = String.join("\n",
                "Exception in thread \"main\" java.lang.NoSuchMethodError: 'void com.example.A.b()'",
                "\tat com.example.Main.main(Main.java:5)",
                "2024-03-01 10:00:00 WARN  c.e.Db - query failed",
                "org.postgresql.util.PSQLException: ERROR: relation \"orders\" does not exist",
                "  Position: 15",
                "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2675)",
                "java.lang.IllegalArgumentException",
                "\tat com.example.X.y(X.java:1)",
                "");
        List<LogEvent> events = parse(LogParser.Config.defaults().withMinLevel(LogLevel.WARN), log);

        assertThat(events).extracting(LogEvent::lineNumber).containsExactly(1L, 3L, 7L);
        assertThat(events.get(0).stack().type()).isEqualTo("java.lang.NoSuchMethodError");
        assertThat(events.get(0).level()).isNull();
        assertThat(events.get(1).stack().message()).isEqualTo("ERROR: relation \"orders\" does not exist\nPosition: 15");
        assertThat(events.get(1).stack().frames()).hasSize(1);
        assertThat(events.get(2).stack().type()).isEqualTo("java.lang.IllegalArgumentException");
    }

    @Test
    void findsTheMessageInCommonHeaderLayouts() {
        String[][] cases = {
                {"2024-03-01T10:00:00.123+01:00 ERROR 12345 --- [shop] [main] c.e.shop.Foo : payment declined", "payment declined"},
                {"10:00:00.123 [main] WARN  com.example.Foo - slow query 1200 ms", "slow query 1200 ms"},
                {"2024-03-01 10:00:00,123 [pool-1] ERROR com.example.Foo - boom - really", "boom - really"},
                {"081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_3886 terminating",
                        "PacketResponder 1 for block blk_3886 terminating"},
                {"2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster",
                        "Created MRAppMaster"},
                {"2024-03-01 10:00:00 ERROR connection lost - retrying", "connection lost - retrying"},
                {"[2024-03-01 10:00:00] [ERROR] Timeout: waited 30 s", "Timeout: waited 30 s"},
                {"plain text without a header", "plain text without a header"},
        };
        for (String[] c : cases) {
            assertThat(parse(LogParser.Config.defaults(), c[0] + "\n")).singleElement()
                    .satisfies(e -> assertThat(e.message()).as(c[0]).isEqualTo(c[1]));
        }
        assertThat(parse(LogParser.Config.defaults(), cases[0][0]).get(0).epochSecond())
                .isEqualTo(ZonedDateTime.of(2024, 3, 1, 9, 0, 0, 0, ZoneId.of("UTC")).toEpochSecond());
        assertThat(parse(LogParser.Config.defaults().withZone(ZoneId.of("Asia/Shanghai")), cases[2][0]).get(0).epochSecond())
                .isEqualTo(ZonedDateTime.of(2024, 3, 1, 2, 0, 0, 0, ZoneId.of("UTC")).toEpochSecond());
        assertThat(parse(LogParser.Config.defaults(), cases[1][0]).get(0).hasTime()).isFalse();
    }
}
