package io.graywatch.prometheus;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Instances exposing Micrometer's Prometheus names with values the test chooses: every counter
 * grows at a fixed rate from the moment the instance started, so any rate Prometheus computes
 * from them is exact, and registered with the test Prometheus by a file_sd file whose labels set
 * {@code app} and {@code instance} to the Graywatch ids.
 */
final class FakeInstances implements AutoCloseable {
    /** Upper bounds of the latency histogram's buckets, in seconds (+Inf implied). */
    static final double[] BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
    static final Path TARGETS_DIR = Path.of("/tmp/graywatch-prometheus-targets");

    /** Requests of one uri and status at a fixed rate. */
    record Traffic(String uri, String status, double perSecond) {
    }

    /**
     * @param share      the share of requests in each bucket of {@link #BUCKETS} and +Inf (sums to 1)
     * @param meanMillis the mean latency, for {@code _sum}
     */
    record Instance(String id, List<Traffic> traffic, double[] share, double meanMillis, double cpu, double heapBytes, double nonHeapBytes) {
    }

    private final List<HttpServer> servers = new ArrayList<>();
    private final Path targetFile;
    private final long startMillis = System.currentTimeMillis();
    private final java.util.Map<String, Long> firstScrapeMillis = new java.util.concurrent.ConcurrentHashMap<>();

    FakeInstances(String app, List<Instance> instances) throws IOException {
        StringBuilder sd = new StringBuilder("[");
        for (Instance i : instances) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/metrics", exchange -> {
                firstScrapeMillis.putIfAbsent(i.id(), System.currentTimeMillis());
                byte[] body = exposition(i).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            servers.add(server);
            if (sd.length() > 1) sd.append(',');
            sd.append("{\"targets\":[\"127.0.0.1:").append(server.getAddress().getPort()).append("\"],\"labels\":{\"app\":\"")
                    .append(app).append("\",\"instance\":\"").append(i.id()).append("\"}}");
        }
        sd.append(']');
        Files.createDirectories(TARGETS_DIR);
        targetFile = TARGETS_DIR.resolve(app + ".json");
        // written aside and moved, so Prometheus never reads half a file
        Path tmp = Files.writeString(TARGETS_DIR.resolve("." + app + ".tmp"), sd);
        Files.move(tmp, targetFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private String exposition(Instance i) {
        double up = (System.currentTimeMillis() - startMillis) / 1000.0;
        StringBuilder out = new StringBuilder();
        for (Traffic t : i.traffic()) {
            String labels = "exception=\"none\",method=\"GET\",outcome=\"" + (t.status().startsWith("5") ? "SERVER_ERROR" : "SUCCESS")
                    + "\",status=\"" + t.status() + "\",uri=\"" + t.uri() + "\"";
            double n = t.perSecond() * up;
            out.append(line("http_server_requests_seconds_count{" + labels + "}", n));
            out.append(line("http_server_requests_seconds_sum{" + labels + "}", n * i.meanMillis() / 1000));
            double cumulative = 0;
            for (int b = 0; b < BUCKETS.length; b++) {
                cumulative += i.share()[b];
                out.append(line("http_server_requests_seconds_bucket{" + labels + ",le=\"" + BUCKETS[b] + "\"}", n * cumulative));
            }
            out.append(line("http_server_requests_seconds_bucket{" + labels + ",le=\"+Inf\"}", n));
        }
        out.append(line("process_cpu_usage", i.cpu()));
        out.append(line("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"}", i.heapBytes()));
        out.append(line("jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"}", i.nonHeapBytes()));
        out.append(line("process_start_time_seconds", startMillis / 1000.0));
        return out.toString();
    }

    private static String line(String series, double value) {
        return series + " " + String.format(Locale.ROOT, "%.6f", value) + "\n";
    }

    /**
     * When the last of the instances was first scraped (Unix seconds), or -1 if one never was.
     * Prometheus's rate() divides by the whole window, so it is exact only once the window holds
     * scrapes from its start to its end.
     */
    long allScrapedSince(int instances) {
        if (firstScrapeMillis.size() < instances) return -1;
        return firstScrapeMillis.values().stream().mapToLong(Long::longValue).max().orElseThrow() / 1000 + 1;
    }

    long startSeconds() {
        return startMillis / 1000;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(targetFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            servers.forEach(s -> s.stop(0));
        }
    }
}
