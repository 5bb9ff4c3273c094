package io.graywatch.scraper;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusTextParserTest {
    @Test
    void readsCommentsTypesHelpAndSamples() {
        Exposition e = PrometheusTextParser.parse("""
                # HELP http_requests_total The total number of HTTP requests.\\nSecond line with \\\\ backslash.
                # TYPE http_requests_total counter
                # just a comment
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{method="post",code="400"}    3 1395066363000

                metric_without_timestamp_and_labels 12.47
                """);
        assertThat(e.types()).containsEntry("http_requests_total", "counter");
        assertThat(e.help()).containsEntry("http_requests_total", "The total number of HTTP requests.\nSecond line with \\ backslash.");
        assertThat(e.samples()).hasSize(3);
        Sample first = e.samples().get(0);
        assertThat(first.name()).isEqualTo("http_requests_total");
        assertThat(first.labels()).isEqualTo(Map.of("method", "post", "code", "200"));
        assertThat(first.value()).isEqualTo(1027);
        assertThat(first.timestampMillis()).isEqualTo(OptionalLong.of(1395066363000L));
        assertThat(e.samples().get(2).labels()).isEmpty();
        assertThat(e.samples().get(2).timestampMillis()).isEmpty();
        assertThat(e.sum("http_requests_total")).isEqualTo(1030);
        assertThat(e.sum("http_requests_total", l -> "400".equals(l.get("code")))).isEqualTo(3);
        assertThat(e.sum("absent")).isNaN();
    }

    @Test
    void labelValuesUnescapeAndMayHoldAnything() {
        Exposition e = PrometheusTextParser.parse(
                "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n"
                        + "weird{a=\"} {=,\" , b = \"x\" ,} -3\r\n"
                        + "empty_labels{} 1\n");
        assertThat(e.samples().get(0).labels()).containsEntry("path", "C:\\DIR\\FILE.TXT")
                .containsEntry("error", "Cannot find file:\n\"FILE.TXT\"");
        assertThat(e.samples().get(0).value()).isEqualTo(1.458255915e9);
        assertThat(e.samples().get(1).labels()).isEqualTo(Map.of("a", "} {=,", "b", "x"));
        assertThat(e.samples().get(1).value()).isEqualTo(-3);
        assertThat(e.samples().get(2).labels()).isEmpty();
    }

    @Test
    void specialValues() {
        Exposition e = PrometheusTextParser.parse("""
                h_bucket{le="+Inf"} +Inf
                a NaN
                b -Inf
                c Inf
                d .5
                e 1E-3
                f -0
                """);
        assertThat(e.samples()).extracting(Sample::value)
                .containsExactly(Double.POSITIVE_INFINITY, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0.5, 0.001, -0.0);
        assertThat(e.samples().get(0).label("le")).isEqualTo("+Inf");
    }

    @Test
    void malformedLinesNameTheirLine() {
        assertThatThrownBy(() -> PrometheusTextParser.parse("ok 1\nbroken\n"))
                .hasMessageStartingWith("line 2: sample broken has no value");
        assertThatThrownBy(() -> PrometheusTextParser.parse("x{a=\"1} 2\n")).hasMessageContaining("line 1").hasMessageContaining("not closed");
        assertThatThrownBy(() -> PrometheusTextParser.parse("x{a=\"1\",a=\"2\"} 2\n")).hasMessageContaining("label a appears twice");
        assertThatThrownBy(() -> PrometheusTextParser.parse("x{a=\"\\t\"} 2\n")).hasMessageContaining("unknown escape");
        assertThatThrownBy(() -> PrometheusTextParser.parse("x 1d\n")).hasMessageContaining("'1d' is not a number");
        assertThatThrownBy(() -> PrometheusTextParser.parse("x 1 12.5\n")).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> PrometheusTextParser.parse("x 1 2 3\n")).hasMessageContaining("after the timestamp");
        assertThatThrownBy(() -> PrometheusTextParser.parse("9x 1\n")).hasMessageContaining("metric name");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE x countr\n")).hasMessageContaining("unknown metric type");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE x gauge\n# TYPE x counter\n")).hasMessageContaining("line 2: second TYPE");
        assertThatThrownBy(() -> PrometheusTextParser.parse("x{a=\"1\" b=\"2\"} 1\n")).hasMessageContaining("expected ',' or '}'");
    }

    @Test
    void emptyPageHasNoSamples() {
        assertThat(PrometheusTextParser.parse("").samples()).isEmpty();
        assertThat(PrometheusTextParser.parse("\n  \n# only comments\n").samples()).isEmpty();
    }
}
