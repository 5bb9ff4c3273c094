package io.graywatch.core.metric;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles guessed for corpora that do not name them: what each metric will be tested as. */
class MetricRoleTest {
    private static MetricRole role(String name, String unit) {
        return MetricSpec.of(name, MetricKind.MIDDLEWARE, Bad.INCREASE, unit, null).role();
    }

    @Test
    void errorsAsAShareOfRequestsAreAnErrorRateWhateverTheNameCallsThem() {
        assertThat(role("error_rate", "")).isEqualTo(MetricRole.ERROR_RATE);
        assertThat(role("errors", "%")).isEqualTo(MetricRole.ERROR_RATE);
        assertThat(role("http_5xx_ratio", "")).isEqualTo(MetricRole.ERROR_RATE);
        assertThat(role("failed_requests_pct", "")).isEqualTo(MetricRole.ERROR_RATE);
        assertThat(role("success_rate", "percent")).isEqualTo(MetricRole.SUCCESS_RATE);
    }

    @Test
    void errorsWithoutAShareAreCountedAsEvents() {
        assertThat(role("errors", "per minute")).isEqualTo(MetricRole.ERROR_COUNT);
        assertThat(role("exceptions_total", "")).isEqualTo(MetricRole.ERROR_COUNT);
        assertThat(MetricSpec.of("npe", MetricKind.LOG, Bad.INCREASE, "%", null).role()).isEqualTo(MetricRole.ERROR_COUNT);
    }

    @Test
    void trafficLatencyAndResourcesByName() {
        assertThat(role("qps", "rps")).isEqualTo(MetricRole.TRAFFIC);
        assertThat(role("p99_latency_ms", "ms")).isEqualTo(MetricRole.LATENCY);
        assertThat(role("cpu_percent", "percent")).isEqualTo(MetricRole.RESOURCE);
    }

    @Test
    void aRequestsDurationIsALatencyUnlessItCountsThem() {
        assertThat(role("http_request_duration_seconds", "")).isEqualTo(MetricRole.LATENCY);
        assertThat(role("request_latency_ms", "")).isEqualTo(MetricRole.LATENCY);
        assertThat(role("http_request_duration_seconds_count", "")).isEqualTo(MetricRole.TRAFFIC);
        assertThat(role("http_requests_total", "")).isEqualTo(MetricRole.TRAFFIC);
        assertThat(role("checkout_p99", "")).isEqualTo(MetricRole.LATENCY);
        assertThat(role("avg_rt", "")).isEqualTo(MetricRole.LATENCY);
        // a Micrometer timer's maximum: the requests' time, not their number
        assertThat(role("http_server_requests_seconds_max", "")).isEqualTo(MetricRole.LATENCY);
        assertThat(role("http_server_requests_seconds_count", "")).isEqualTo(MetricRole.TRAFFIC);
    }

    @Test
    void aUnitInBracketsAtTheEndOfANameIsTheUnitWhenNoneIsGiven() {
        // as CSV exports name their columns
        MetricSpec cpu = MetricSpec.of("CpuUsage(m)", MetricKind.BASIC, Bad.INCREASE, "", null);
        assertThat(cpu.unit()).isEqualTo("millicores");
        assertThat(cpu.measuresUtilisation()).isTrue();
        assertThat(cpu.unitsPerCore()).isEqualTo(1000);
        assertThat(MetricSpec.of("cpu [%]", MetricKind.BASIC, Bad.INCREASE, "", null).measuresUtilisation()).isTrue();
        // a CPU is a utilisation whatever its name leaves out (fault-injection datasets name theirs adservice_cpu); memory is not
        assertThat(MetricSpec.of("adservice_cpu", MetricKind.BASIC, Bad.INCREASE, "", null).measuresUtilisation()).isTrue();
        assertThat(MetricSpec.of("container_cpu_usage_seconds_total", MetricKind.BASIC, Bad.INCREASE, "", null).measuresUtilisation()).isTrue();
        assertThat(MetricSpec.of("adservice_mem", MetricKind.BASIC, Bad.INCREASE, "", null).measuresUtilisation()).isFalse();
        // so is what counts work as it comes, network and I/O, whatever its unit: bytes of memory accumulate, bytes sent do not
        assertThat(MetricSpec.of("adservice_net_send", MetricKind.BASIC, Bad.INCREASE, "", null).measuresUtilisation()).isTrue();
        assertThat(MetricSpec.of("container_network_receive_bytes_total", MetricKind.BASIC, Bad.INCREASE, "bytes", null).measuresUtilisation()).isTrue();
        assertThat(MetricSpec.of("disk_io", MetricKind.BASIC, Bad.INCREASE, "", null).measuresUtilisation()).isTrue();
        assertThat(MetricSpec.of("container_memory_working_set_bytes", MetricKind.BASIC, Bad.INCREASE, "bytes", null).measuresUtilisation()).isFalse();
        assertThat(MetricSpec.of("disk_used_gb", MetricKind.BASIC, Bad.INCREASE, "GB", null).measuresUtilisation()).isFalse();
        assertThat(MetricSpec.of("istio_requests_total", MetricKind.MIDDLEWARE, Bad.DECREASE, "", null).measuresUtilisation()).isFalse();
        assertThat(MetricSpec.of("net_revenue", MetricKind.BUSINESS, Bad.DECREASE, "", null).measuresUtilisation()).isFalse();
        MetricSpec latency = MetricSpec.of("PodServerLatencyP90(s)", MetricKind.MIDDLEWARE, Bad.INCREASE, "", null);
        assertThat(latency.unit()).isEqualTo("s");
        assertThat(latency.role()).isEqualTo(MetricRole.LATENCY);
        assertThat(MetricSpec.of("MemoryUsage(Mi)", MetricKind.BASIC, Bad.INCREASE, "", null).unit()).isEqualTo("Mi");
        // what is no unit, or not one for this metric, is left alone; a unit given wins
        assertThat(MetricSpec.of("latency(p99)", MetricKind.MIDDLEWARE, Bad.INCREASE, "", null).unit()).isEmpty();
        assertThat(MetricSpec.of("session_length(m)", MetricKind.BUSINESS, Bad.DECREASE, "", null).unit()).isEmpty();
        assertThat(MetricSpec.of("CpuUsage(m)", MetricKind.BASIC, Bad.INCREASE, "cores", null).unit()).isEqualTo("cores");
    }

    @Test
    void aNameThatSaysNothingLeavesItToTheUnitTheKindAndTheBadDirection() {
        assertThat(role("m3", "ms")).isEqualTo(MetricRole.LATENCY);
        assertThat(role("m1", "rps")).isEqualTo(MetricRole.TRAFFIC);
        assertThat(role("m2", "percent")).isEqualTo(MetricRole.ERROR_RATE);
        assertThat(MetricSpec.of("m2", MetricKind.MIDDLEWARE, Bad.DECREASE, "%", null).role()).isEqualTo(MetricRole.SUCCESS_RATE);
        assertThat(MetricSpec.of("m4", MetricKind.BASIC, Bad.INCREASE, "MB", null).role()).isEqualTo(MetricRole.RESOURCE);
        // a business count in percent is the business's own measure, not requests failing
        assertThat(MetricSpec.of("m6", MetricKind.BUSINESS, Bad.DECREASE, "%", null).role()).isEqualTo(MetricRole.OTHER);
        assertThat(role("m5", "")).isEqualTo(MetricRole.OTHER);
    }

    @Test
    void shortWordsAreMatchedWholeNotInsideOthers() {
        // cart_items holds "rt_", https "tps", workload and download "load", member "mem": none of them is what it holds
        assertThat(MetricSpec.of("cart_items", MetricKind.BUSINESS, Bad.DECREASE, "", null).role()).isEqualTo(MetricRole.OTHER);
        assertThat(role("https_sessions", "")).isEqualTo(MetricRole.OTHER);
        assertThat(role("download_bytes", "")).isEqualTo(MetricRole.OTHER);
        assertThat(MetricSpec.of("member_count", MetricKind.BUSINESS, Bad.DECREASE, "", null).role()).isEqualTo(MetricRole.OTHER);
        // the work arriving at a service is its traffic
        assertThat(role("cartservice_workload", "")).isEqualTo(MetricRole.TRAFFIC);
        // and whole, or in camel case, they still say what they say
        assertThat(role("rt", "")).isEqualTo(MetricRole.LATENCY);
        assertThat(role("orderRt", "")).isEqualTo(MetricRole.LATENCY);
        assertThat(role("system_load1", "")).isEqualTo(MetricRole.RESOURCE);
        assertThat(role("jvm_gc_pause_seconds", "")).isEqualTo(MetricRole.RESOURCE);
        assertThat(role("memUsed", "")).isEqualTo(MetricRole.RESOURCE);
        assertThat(role("open_fds", "")).isEqualTo(MetricRole.RESOURCE);
        assertThat(role("api_tps", "")).isEqualTo(MetricRole.TRAFFIC);
    }
}
