package io.graywatch.simulator.fleet;

/**
 * What one process of the sample service has counted since it started, rendered in the
 * Prometheus text exposition format. Not thread-safe: its instance guards it.
 */
final class InstanceMetrics {
    /** Upper bounds of the latency histogram's buckets, in seconds (+Inf is implied). */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10};

    private long ok;
    private long failed;
    private final long[] inBucket = new long[BUCKETS.length + 1];
    private double latencySumSeconds;

    void record(boolean failure, double latencyMs) {
        if (failure) failed++; else ok++;
        double s = latencyMs / 1000.0;
        int b = 0;
        while (b < BUCKETS.length && s > BUCKETS[b]) b++;
        inBucket[b]++;
        latencySumSeconds += s;
    }

    long requests() { return ok + failed; }

    long failed() { return failed; }

    String render(double cpuUsage, double heapBytes, double nonHeapBytes, double startTimeSeconds, String version) {
        StringBuilder b = new StringBuilder(2048);
        b.append("# HELP http_server_requests_total Requests served since the process started, by status class.\n");
        b.append("# TYPE http_server_requests_total counter\n");
        b.append("http_server_requests_total{status=\"2xx\"} ").append(ok).append('\n');
        b.append("http_server_requests_total{status=\"5xx\"} ").append(failed).append('\n');
        b.append("# HELP http_server_request_duration_seconds Time to serve a request.\n");
        b.append("# TYPE http_server_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i <= BUCKETS.length; i++) {
            cumulative += inBucket[i];
            String le = i < BUCKETS.length ? num(BUCKETS[i]) : "+Inf";
            b.append("http_server_request_duration_seconds_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        b.append("http_server_request_duration_seconds_sum ").append(num(latencySumSeconds)).append('\n');
        b.append("http_server_request_duration_seconds_count ").append(cumulative).append('\n');
        gauge(b, "process_cpu_usage", "Recent CPU usage of the process, 0 to 1.", "", cpuUsage);
        b.append("# HELP jvm_memory_used_bytes Used memory by area.\n# TYPE jvm_memory_used_bytes gauge\n");
        b.append("jvm_memory_used_bytes{area=\"heap\"} ").append(num(Math.rint(heapBytes))).append('\n');
        b.append("jvm_memory_used_bytes{area=\"nonheap\"} ").append(num(Math.rint(nonHeapBytes))).append('\n');
        gauge(b, "process_start_time_seconds", "Start time of the process since the Unix epoch.", "", startTimeSeconds);
        gauge(b, "app_version_info", "The version this process runs.", "{version=\"" + version.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}", 1);
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, String labels, double v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append(labels).append(' ').append(num(v)).append('\n');
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
