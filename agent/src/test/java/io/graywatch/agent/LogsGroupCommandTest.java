package io.graywatch.agent;

import io.graywatch.agent.logs.LogsCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogsGroupCommandTest {
    @TempDir
    Path dir;

    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        return new CommandLine(new LogsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void writesOneRowPerEventAndATableOfGroups() throws Exception {
        Path log = dir.resolve("shop.log");
        Files.writeString(log, String.join("\n",
                "2024-03-01 10:00:00.123 INFO  [main] c.e.shop.App - Started ShopApplication in 3.2 seconds",
                "2024-03-01 10:00:01.000 ERROR [exec-1] c.e.shop.Http - timeout after 3000 ms calling 10.2.3.4",
                "2024-03-01 10:00:02.000 ERROR [exec-2] c.e.shop.OrderController - order 42 failed",
                "java.lang.IllegalStateException: could not price order 42, retry later",
                "\tat com.example.shop.PricingService$$EnhancerBySpringCGLIB$$1f2e3d4c.price(<generated>)",
                "\tat com.example.shop.OrderController.create(OrderController.java:41)",
                "Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule",
                "\tat com.example.shop.PricingService.rule(PricingService.java:120)",
                "\t... 2 more",
                "2024-03-01 10:00:03.000 ERROR [exec-1] c.e.shop.Http - timeout after 5000 ms calling 10.2.3.9",
                ""));
        Path csv = dir.resolve("groups.csv");

        assertThat(run("group", log.toString(), "--out", csv.toString())).isEqualTo(0);

        List<String> rows = Files.readAllLines(csv);
        String timeout = rows.get(2).split(",")[1];
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).isEqualTo("lineNumber,groupId,template");
        assertThat(rows.get(1)).matches("1,[0-9a-f]{16},Started ShopApplication in <\\*> seconds");
        assertThat(rows.get(2)).isEqualTo("2," + timeout + ",timeout after <*> ms calling <*>");
        assertThat(rows.get(3)).matches("3,[0-9a-f]{16},java.lang.IllegalStateException @ com.example.shop.PricingService.price > "
                + "com.example.shop.OrderController.create \\| root java.lang.ClassNotFoundException @ com.example.shop.PricingService.rule");
        assertThat(rows.get(4)).isEqualTo("10," + timeout + ",timeout after <*> ms calling <*>");
        assertThat(out.toString()).contains("       2  50.0%  " + timeout + " template  ERROR timeout after <*> ms calling <*>",
                "sample: 2024-03-01 10:00:01.000 ERROR [exec-1] c.e.shop.Http - timeout after 3000 ms calling 10.2.3.4",
                "10 lines, 4 events, 3 groups");
    }

    @Test
    void quotesTemplatesThatHoldCommas() throws Exception {
        Path log = dir.resolve("a.log");
        Files.writeString(log, "2024-03-01 10:00:00 WARN x.Y - cache miss for product 7, loading \"fresh\"\n");
        Path csv = dir.resolve("g.csv");
        assertThat(run("group", log.toString(), "--out", csv.toString())).isEqualTo(0);
        assertThat(Files.readAllLines(csv).get(1)).endsWith(",\"cache miss for product <*>, loading \"\"fresh\"\"\"");
    }

    @Test
    void aMissingFileIsAClearErrorAndWritesNothing() {
        Path csv = dir.resolve("groups.csv");
        assertThat(run("group", dir.resolve("nope.log").toString(), "--out", csv.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("graywatch logs group: cannot read " + dir.resolve("nope.log") + ": no such file");
        assertThat(csv).doesNotExist();
    }
}
