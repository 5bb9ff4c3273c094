package io.graywatch.simulator.fleet;

import io.graywatch.simulator.Http;
import io.graywatch.simulator.time.ManualClock;
import io.graywatch.simulator.traffic.NabSeries;
import io.graywatch.simulator.traffic.TrafficShape;
import org.junit.jupiter.api.AfterEach;
import org.hipparchus.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedFleetTest {
    static final Pattern LOG_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR) \\[[\\w-]+] [\\w.$\\[\\]/]+ - .*");
    static final Pattern STACK_LINE = Pattern.compile("(\tat .+|\t\\.\\.\\. \\d+ more|Caused by: [\\w.$]+(: .*)?|[\\w.$]+(Exception|Error)(: .*)?)");

    @TempDir
    Path logs;
    private final ManualClock clock = new ManualClock(clockStart());

    private static Instant clockStart() {
        return Instant.parse("2026-11-22T04:30:00Z");
    }
    private final List<SimulatedFleet> fleets = new ArrayList<>();

    @AfterEach
    void close() {
        fleets.forEach(SimulatedFleet::close);
    }

    private SimulatedFleet fleet(String app, Path dir, long seed) {
        SimulatedFleet f = SimulatedFleet.builder(app).instances(3).logDir(dir).clock(clock).autoTick(false).seed(seed)
                .fleetRequestsPerSecond(300).build().start();
        fleets.add(f);
        return f;
    }

    private void run(Duration total, SimulatedFleet... fs) {
        for (long t = 0; t < total.toMillis(); t += 200) {
            clock.advance(Duration.ofMillis(200));
            for (SimulatedFleet f : fs) f.tick();
        }
    }

    @Test
    void instancesListenOnTheirOwnLoopbackPortsAndServeTheSampleApi() {
        SimulatedFleet f = fleet("shop", logs, 1);
        assertThat(f.instances()).extracting(SimulatedInstance::id).containsExactly("shop-1", "shop-2", "shop-3");
        assertThat(f.instances()).extracting(SimulatedInstance::address).doesNotHaveDuplicates().allMatch(a -> a.startsWith("127.0.0.1:"));
        SimulatedInstance one = f.instance("shop-1");

        HttpResponse<String> health = Http.get(one.address(), "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "\"version\":\"v1\"", "\"instance\":\"shop-1\"");

        HttpResponse<String> orders = Http.get(one.address(), "/api/orders");
        assertThat(orders.statusCode()).isIn(200, 500);
        assertThat(orders.body()).contains("\"version\":\"v1\"");
        // the clock has not moved: the only request counted is the real one
        String metrics = Http.get(one.address(), "/metrics").body();
        assertThat(metrics).contains("http_server_request_duration_seconds_count 1\n");
        assertThat(Http.get(one.address(), "/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsHaveEveryFamilyAndCountTheSimulatedLoad() {
        SimulatedFleet f = fleet("shop", logs, 1);
        run(Duration.ofSeconds(20), f);
        String metrics = Http.get(f.instance("shop-2").address(), "/metrics").body();
        assertThat(metrics).contains("# TYPE http_server_requests_total counter", "http_server_requests_total{status=\"2xx\"} ",
                "http_server_requests_total{status=\"5xx\"} ", "# TYPE http_server_request_duration_seconds histogram",
                "http_server_request_duration_seconds_bucket{le=\"0.05\"} ", "http_server_request_duration_seconds_bucket{le=\"+Inf\"} ",
                "http_server_request_duration_seconds_sum ", "process_cpu_usage ", "jvm_memory_used_bytes{area=\"heap\"} ",
                "process_start_time_seconds " + clockStart().getEpochSecond() + "\n", "app_version_info{version=\"v1\"} 1");
        Matcher count = Pattern.compile("http_server_request_duration_seconds_count (\\d+)").matcher(metrics);
        assertThat(count.find()).isTrue();
        // 300 req/s over 3 instances for 20 s, shaped by the NAB series: clearly more than nothing
        assertThat(Long.parseLong(count.group(1))).isGreaterThan(100);
    }

    @Test
    void sameSeedAndClockGiveTheSameMetrics(@TempDir Path otherLogs) {
        SimulatedFleet a = fleet("shop", logs, 7);
        SimulatedFleet b = fleet("shop", otherLogs, 7);
        run(Duration.ofSeconds(10), a, b);
        assertThat(Http.get(a.instance("shop-3").address(), "/metrics").body())
                .isEqualTo(Http.get(b.instance("shop-3").address(), "/metrics").body());
    }

    @Test
    void logsAreLogbackLinesWithBenignNoiseAndAFlakyExceptionInEveryVersion() throws IOException {
        SimulatedFleet f = fleet("shop", logs, 3);
        run(Duration.ofMinutes(5), f);
        Path file = logs.resolve("shop-1.log");
        assertThat(f.instance("shop-1").logFile()).isEqualTo(file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).allMatch(l -> LOG_LINE.matcher(l).matches() || STACK_LINE.matcher(l).matches(), "a log or stack line");
        assertThat(lines.get(3)).matches(".* INFO  \\[main] com\\.example\\.shop\\.ShopApplication - Started ShopApplication version v1 in \\d\\.\\d seconds.*");
        assertThat(lines).anyMatch(l -> l.matches(".* WARN  .* - timeout after \\d+ ms calling 10\\.[\\d.]+"));
        assertThat(lines).anyMatch(l -> l.contains(" INFO  ") && l.contains("order "));
        // flaky at about one a minute: present, multi-line, with its cause
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("com.example.shop.inventory.InventoryUnavailableException: stock lookup failed for sku ")).findFirst().orElseThrow());
        assertThat(lines.get(at - 1)).contains("ERROR", "com.example.shop.OrderService - inventory lookup failed");
        assertThat(lines.get(at + 1)).startsWith("\tat com.example.shop.inventory.InventoryClient.stock(InventoryClient.java:87)");
        assertThat(lines.subList(at, lines.size())).contains("Caused by: java.net.SocketTimeoutException: Read timed out");
        assertThat(lines.subList(at, lines.size())).anyMatch(l -> l.matches("\t\\.\\.\\. \\d+ more"));
        // and in time order
        List<String> stamps = lines.stream().filter(l -> LOG_LINE.matcher(l).matches()).map(l -> l.substring(0, 23)).toList();
        assertThat(stamps).isSorted();
    }

    @Test
    void cpuCanFollowANabCpuSeries(@TempDir Path dir) {
        String rds = "realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv";
        SimulatedFleet f = SimulatedFleet.builder("db").instances(1).logDir(dir).clock(clock).autoTick(false)
                .cpuSeries(rds).nabStartIndex(3060).secondsPerNabPoint(30).build().start();
        fleets.add(f);
        // from point 3060 the database's CPU steps from about 6% to about 15%
        TrafficShape shape = new TrafficShape(NabSeries.load(rds), 3060, 30, 1);
        int points = 40;
        double[] cpu = new double[points], expected = new double[points];
        Pattern usage = Pattern.compile("\nprocess_cpu_usage (\\S+)\n");
        for (int k = 0; k < points; k++) {
            run(Duration.ofSeconds(30), f);
            Matcher m = usage.matcher(Http.get(f.instance("db-1").address(), "/metrics").body());
            assertThat(m.find()).isTrue();
            cpu[k] = Double.parseDouble(m.group(1));
            expected[k] = shape.point(3060 + k + 1);
        }
        assertThat(new PearsonsCorrelation().correlation(cpu, expected)).isGreaterThan(0.9);
    }


    @Test
    void badSettingsAreRejectedWithWhatToFix() {
        assertThatThrownBy(() -> SimulatedFleet.builder("shop").build()).hasMessageContaining("logDir");
        assertThatThrownBy(() -> SimulatedFleet.builder("shop").logDir(logs).instances(0).build()).hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> SimulatedFleet.builder("shop/x")).hasMessageContaining("app name");
        assertThatThrownBy(() -> SimulatedFleet.builder("shop").logDir(logs).trafficSeries("nope.csv").build()).hasMessageContaining("no bundled NAB series");
    }
}
