package io.graywatch.simulator.executor;

import io.graywatch.core.release.Instance;
import io.graywatch.simulator.Http;
import io.graywatch.simulator.fault.ExceptionFault;
import io.graywatch.simulator.fault.ShopFaults;
import io.graywatch.simulator.fault.VersionProfile;
import io.graywatch.simulator.fleet.SimulatedFleet;
import io.graywatch.simulator.fleet.SimulatedInstance;
import io.graywatch.simulator.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorExecutorTest {
    static final ExceptionFault CNFE = ShopFaults.classNotFound("com.example.shop.pricing.DiscountRule", 1);

    @TempDir
    Path logs;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T04:30:00Z"));
    private SimulatedFleet fleet;
    private SimulatorExecutor executor;

    @BeforeEach
    void start() {
        fleet = SimulatedFleet.builder("shop").instances(4).logDir(logs).clock(clock).autoTick(false)
                .startup(Duration.ofSeconds(3))
                .version(VersionProfile.healthy("v2"))
                .version(VersionProfile.builder("v3").extraErrorPercent(5).exception(CNFE).build())
                .build().start();
        executor = new SimulatorExecutor(fleet);
    }

    @AfterEach
    void stop() {
        fleet.close();
    }

    private void run(Duration d) {
        for (long t = 0; t < d.toMillis(); t += 200) {
            clock.advance(Duration.ofMillis(200));
            fleet.tick();
        }
    }

    @Test
    void listsInstancesWithVersionAndAddress() {
        List<Instance> instances = executor.instances("shop");
        assertThat(executor.name()).isEqualTo("simulator");
        assertThat(instances).extracting(Instance::id).containsExactly("shop-1", "shop-2", "shop-3", "shop-4");
        assertThat(instances).extracting(Instance::version).containsOnly("v1");
        assertThat(instances).allSatisfy(i -> assertThat(Http.get(i.address(), "/health").body()).contains("\"instance\":\"" + i.id() + "\""));
    }

    @Test
    void deployRestartsOnTheNewVersionAndIsIdempotent() throws IOException {
        run(Duration.ofSeconds(5));
        SimulatedInstance two = fleet.instance("shop-2");
        long before = two.startMillis();

        executor.deploy("shop", List.of("shop-2"), "v2");
        assertThat(two.version()).isEqualTo("v2");
        assertThat(two.startMillis()).isGreaterThan(before);
        // starting: not ready yet, as a real process behind a readiness check
        assertThat(Http.get(two.address(), "/health").statusCode()).isEqualTo(503);
        run(Duration.ofSeconds(4));
        assertThat(Http.get(two.address(), "/health").body()).contains("\"version\":\"v2\"", "\"startTimeMillis\":" + two.startMillis());
        String metrics = Http.get(two.address(), "/metrics").body();
        assertThat(metrics).contains("app_version_info{version=\"v2\"} 1");
        Matcher start = Pattern.compile("\nprocess_start_time_seconds (\\S+)\n").matcher(metrics);
        assertThat(start.find()).isTrue();
        assertThat(Double.parseDouble(start.group(1))).isEqualTo(two.startMillis() / 1000.0);
        assertThat(executor.instances("shop")).extracting(Instance::version).containsExactly("v1", "v2", "v1", "v1");

        long restarted = two.startMillis();
        executor.deploy("shop", List.of("shop-2"), "v2");
        run(Duration.ofSeconds(1));
        assertThat(two.startMillis()).isEqualTo(restarted);
        String log = Files.readString(two.logFile());
        assertThat(log).containsOnlyOnce("Started ShopApplication version v2 in ").contains("Commencing graceful shutdown");
    }

    @Test
    void theFaultyVersionLogsItsNewExceptionWithAFullStack() throws IOException {
        executor.deploy("shop", List.of("shop-1"), "v3");
        run(Duration.ofSeconds(30));
        List<String> lines = Files.readAllLines(fleet.instance("shop-1").logFile());
        int at = lines.indexOf("java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule");
        assertThat(at).isPositive();
        assertThat(lines.get(at - 1)).matches(".* ERROR \\[http-nio-8080-exec-\\d+] com\\.example\\.shop\\.web\\.GlobalExceptionHandler - unhandled exception in GET /api/orders for order \\d+");
        assertThat(lines.get(at + 1)).isEqualTo("\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)");
        assertThat(lines.get(at + 6)).isEqualTo("\tat com.example.shop.pricing.RuleLoader.load(RuleLoader.java:44)");
        assertThat(lines.subList(at, at + 40)).contains("Caused by: java.util.zip.ZipException: invalid LOC header (bad signature)")
                .anyMatch(l -> l.matches("\t\\.\\.\\. \\d+ more"));
        assertThat(Files.readString(fleet.instance("shop-2").logFile())).doesNotContain("ClassNotFoundException");
    }

    @Test
    void aPreReleaseInstanceServesNoUsersSoItsFaultsStayHiddenUntilItIsRoutedBack() throws IOException {
        executor.deploy("shop", List.of("shop-1"), "v3");
        executor.route("shop", List.of("shop-1"), false);
        run(Duration.ofSeconds(30));
        SimulatedInstance one = fleet.instance("shop-1");
        assertThat(one.serving()).isFalse();
        assertThat(served(one)).isZero();
        assertThat(Files.readString(one.logFile())).doesNotContain("ClassNotFoundException");

        executor.route("shop", List.of("shop-1"), true);
        executor.route("shop", List.of("shop-1"), true);
        run(Duration.ofSeconds(30));
        assertThat(one.serving()).isTrue();
        assertThat(served(one)).isPositive();
        assertThat(Files.readString(one.logFile())).contains("ClassNotFoundException");
    }

    private static double served(SimulatedInstance i) {
        Matcher m = Pattern.compile("\nhttp_server_requests_total\\{status=\"2xx\"} (\\S+)\n").matcher(Http.get(i.address(), "/metrics").body());
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void unknownAppInstanceOrVersionIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> executor.instances("cart")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no app cart");
        assertThatThrownBy(() -> executor.deploy("shop", List.of("shop-1", "shop-9"), "v2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no instance shop-9");
        assertThatThrownBy(() -> executor.deploy("shop", List.of("shop-1"), "v9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no version v9").hasMessageContaining("v3");
        assertThat(executor.instances("shop")).extracting(Instance::version).containsOnly("v1");
    }
}
