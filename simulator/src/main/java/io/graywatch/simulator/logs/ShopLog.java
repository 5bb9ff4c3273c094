package io.graywatch.simulator.logs;

import io.graywatch.simulator.fault.ExceptionFault;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What the sample shop service writes to its log in every version: start-up and shutdown lines,
 * some INFO per request, benign WARN/ERROR lines with variable parts, and one flaky exception, so
 * that a release's new problems stand out against problems that were already there.
 */
public final class ShopLog {
    /** A benign line written at a steady rate. */
    public record Background(String level, String thread, String logger, String template, double perSecond) {
    }

    public static final List<Background> BACKGROUND = List.of(
            new Background("WARN", "http", "com.example.shop.client.InventoryClient", "timeout after {timeout} ms calling {ip}", 0.03),
            new Background("WARN", "http", "com.example.shop.cache.PriceCache", "price cache refresh took {ms} ms, above the budget of 500 ms", 0.01),
            new Background("ERROR", "http", "com.example.shop.payment.PaymentClient", "payment provider answered 503 for order {n}, retry {small} of 3", 0.01),
            new Background("INFO", "scheduling-1", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Pool stats (total=10, active={small}, idle=10, waiting=0)", 1 / 30.0),
            new Background("INFO", "scheduling-1", "com.example.shop.catalog.CatalogSync", "catalog sync finished: {n} products checked", 1 / 60.0));

    /** Present in every version at a low rate: "it was already there before the release". */
    public static final ExceptionFault FLAKY = ExceptionFault.builder("com.example.shop.inventory.InventoryUnavailableException", "stock lookup failed for sku {n}")
            .perSecond(1 / 60.0)
            .at("com.example.shop.inventory.InventoryClient.stock(InventoryClient.java:87)",
                    "com.example.shop.OrderService.withStock(OrderService.java:141)",
                    "com.example.shop.OrderService.listOrders(OrderService.java:66)")
            .causedBy("java.net.SocketTimeoutException", "Read timed out",
                    "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
                    "java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:314)",
                    "java.base/java.net.Socket$SocketInputStream.read(Socket.java:976)",
                    "com.example.shop.inventory.InventoryClient.stock(InventoryClient.java:82)")
            .logger("com.example.shop.OrderService")
            .message("inventory lookup failed, serving orders without stock levels")
            .build();

    /** Share of requests that log an INFO line, and of failed requests that log an ERROR line. */
    public static final double INFO_PER_REQUEST = 0.02;
    public static final double ERROR_PER_FAILED_REQUEST = 0.5;

    private ShopLog() {
    }

    public static String thread(String kind, Random rng) {
        return kind.equals("http") ? "http-nio-8080-exec-" + (1 + rng.nextInt(10)) : kind;
    }

    public static LogEvent background(Background b, long millis, Random rng) {
        return LogEvent.line(millis, b.level(), thread(b.thread(), rng), b.logger(), Placeholders.fill(b.template(), rng));
    }

    public static LogEvent request(long millis, double latencyMs, Random rng) {
        return LogEvent.line(millis, "INFO", thread("http", rng), "com.example.shop.OrderService",
                Placeholders.fill("order {n} listed for customer {n} in " + Math.round(latencyMs) + " ms", rng));
    }

    public static LogEvent failedRequest(long millis, double latencyMs, Random rng) {
        return LogEvent.line(millis, "ERROR", thread("http", rng), "com.example.shop.web.ErrorHandler",
                Placeholders.fill("request GET /api/orders failed with status 500 after " + Math.round(latencyMs) + " ms, trace {hex}", rng));
    }

    public static LogEvent exception(ExceptionFault f, long millis, Random rng) {
        return new LogEvent(millis, "ERROR", thread("http", rng), f.logger(), Placeholders.fill(f.logMessage(), rng),
                StackTraces.toThrowable(f.exception(), rng));
    }

    public static List<LogEvent> shutdown(long millis) {
        return List.of(
                LogEvent.line(millis, "INFO", "SpringApplicationShutdownHook", "org.springframework.boot.web.embedded.tomcat.GracefulShutdown",
                        "Commencing graceful shutdown. Waiting for active requests to complete"),
                LogEvent.line(millis + 1, "INFO", "SpringApplicationShutdownHook", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown completed."));
    }

    /** The lines of a start-up that took {@code startupMillis} and ended at {@code readyMillis}. */
    public static List<LogEvent> startup(long readyMillis, long startupMillis, String version, long pid) {
        // the new JVM's first line comes a moment after the old one's last
        long t0 = readyMillis - startupMillis + Math.min(5, startupMillis);
        String took = String.format(Locale.ROOT, "%.1f", startupMillis / 1000.0);
        return List.of(
                LogEvent.line(t0, "INFO", "main", "com.example.shop.ShopApplication",
                        "Starting ShopApplication " + version + " using Java 17.0.15 with PID " + pid),
                LogEvent.line(t0 + startupMillis / 3, "INFO", "main", "org.springframework.boot.web.embedded.tomcat.TomcatWebServer",
                        "Tomcat initialized with port 8080 (http)"),
                LogEvent.line(t0 + startupMillis * 2 / 3, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                LogEvent.line(readyMillis, "INFO", "main", "com.example.shop.ShopApplication",
                        "Started ShopApplication version " + version + " in " + took + " seconds (process running for " + took + ")"));
    }
}
