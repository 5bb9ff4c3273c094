package io.graywatch.agent;

import io.graywatch.agent.ship.Shipment;
import io.graywatch.agent.ship.Shipper;
import io.graywatch.agent.tail.LogTail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentShippingTest {
    @TempDir
    Path dir;

    final List<String> said = new ArrayList<>();

    Agent agent(URI server, String token, long bufferBytes) throws IOException {
        Path log = dir.resolve("app.log");
        if (!Files.exists(log)) Files.createFile(log);
        Agent.Settings s = Agent.Settings.of("shop", "shop-1", server, token, List.of(log.toString()), dir.resolve("buffer"))
                .withBufferMaxBytes(bufferBytes).withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .withTail(LogTail.Options.of(List.of(log.toString())).withFromStart(true).withQuietPeriods(Duration.ZERO, Duration.ZERO));
        return new Agent(s, said::add);
    }

    void log(int from, int to) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) sb.append(LogTailTest.error(i));
        Files.writeString(dir.resolve("app.log"), sb, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Sends until the buffer is empty, waiting out the (short) backoff. */
    static void drain(Agent a) throws InterruptedException {
        for (int i = 0; i < 200 && a.buffer().size() > 0; i++) {
            a.shipOnce();
            Thread.sleep(10);
        }
    }

    @Test
    void losesNothingThatFitsInTheBufferWhileTheServerIsDown() throws Exception {
        try (Receiver server = new Receiver("s3cret"); Agent a = agent(server.url(), "s3cret", 1 << 20)) {
            log(0, 5);
            assertThat(a.shipOnce().outcome()).isEqualTo(Shipper.Outcome.SENT);
            assertThat(server.events()).isEqualTo(5);

            server.stop();
            for (int round = 0; round < 4; round++) {
                log(100 * round, 100 * round + 10);
                Thread.sleep(10);
                assertThat(a.shipOnce().outcome()).isIn(Shipper.Outcome.UNREACHABLE, Shipper.Outcome.WAITING);
            }
            assertThat(a.buffer().size()).isEqualTo(4);
            assertThat(said).anySatisfy(m -> assertThat(m).startsWith("cannot reach http://127.0.0.1:").contains("retrying with backoff"));

            server.start();
            drain(a);
            assertThat(server.events()).isEqualTo(5 + 40);
            assertThat(a.buffer().size()).isZero();
            assertThat(said).anySatisfy(m -> assertThat(m).startsWith("the server is reachable again"));
            assertThat(server.shipments).allSatisfy(s -> assertThat(s.dropped()).isEqualTo(Shipment.Dropped.NONE));
            // every shipment arrived once, in order
            assertThat(server.shipments).extracting(Shipment::sequence).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void reportsWhatItDroppedWhenTheBufferOverflows() throws Exception {
        try (Receiver server = new Receiver("s3cret"); Agent a = agent(server.url(), "s3cret", 4096)) {
            server.stop();
            for (int round = 0; round < 12; round++) {
                log(100 * round, 100 * round + 10);
                a.shipOnce();
            }
            assertThat(a.dropped().shipments()).isPositive();
            assertThat(a.dropped().events()).isEqualTo(10 * a.dropped().shipments());
            assertThat(a.buffer().bytes()).isLessThanOrEqualTo(4096);
            assertThat(said).anySatisfy(m -> assertThat(m).contains("is full: dropped the oldest"));

            server.start();
            drain(a);
            long kept = server.events();
            assertThat(kept + a.dropped().events()).isEqualTo(120);
            Shipment last = server.shipments.get(server.shipments.size() - 1);
            assertThat(last.dropped().events()).isEqualTo(a.dropped().events());
        }
    }

    @Test
    void saysClearlyWhenTheTokenIsRejected() throws Exception {
        try (Receiver server = new Receiver("right"); Agent a = agent(server.url(), "wrong", 1 << 20)) {
            log(0, 3);
            Shipper.Result r = a.shipOnce();
            assertThat(r.outcome()).isEqualTo(Shipper.Outcome.TOKEN_REJECTED);
            assertThat(r.message()).isEqualTo("the server rejected the token (HTTP 401): {\"message\":\"unknown agent token\"}: "
                    + "check --token and that it is valid for this app");
            assertThat(a.buffer().size()).isEqualTo(1);
        }
    }

    @Test
    void theAgentCommandStopsWithAClearMessageOnARejectedToken() throws Exception {
        try (Receiver server = new Receiver("right")) {
            Path log = dir.resolve("app.log");
            Files.writeString(log, LogTailTest.error(1));
            StringWriter err = new StringWriter();
            int code = new CommandLine(new AgentCommand()).setErr(new PrintWriter(err)).execute("--server", server.url().toString(), "--token", "wrong",
                    "--app", "shop", "--instance", "shop-1", "--logs", log.toString(), "--interval", "200ms", "--buffer-dir", dir.resolve("b").toString());
            assertThat(code).isEqualTo(3);
            assertThat(err.toString()).contains("graywatch agent: the server rejected the token (HTTP 401)");
        }
    }

    @Test
    void theAgentCommandRejectsBadOptionsWithoutStarting() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new AgentCommand()).setErr(new PrintWriter(err)).execute("--server", "localhost:8080", "--token", "t", "--app", "shop",
                "--instance", "i", "--logs", dir.resolve("*.log").toString(), "--buffer-dir", dir.resolve("b").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("the server must be an http:// or https:// URL, got 'localhost:8080'");
        assertThat(dir.resolve("b")).doesNotExist();

        err.getBuffer().setLength(0);
        code = new CommandLine(new AgentCommand()).setErr(new PrintWriter(err)).execute("--server", "http://127.0.0.1:9", "--token", "t", "--app", "shop",
                "--logs", "x.log", "--interval", "soon");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--interval: cannot read 'soon' as a duration");
    }

    @Test
    void twoAgentsCannotShareABuffer() throws Exception {
        try (Agent a = agent(URI.create("http://127.0.0.1:9"), "t", 1 << 20)) {
            assertThatThrownBy(() -> agent(URI.create("http://127.0.0.1:9"), "t", 1 << 20)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is used by another agent");
        }
    }

    @Test
    void theShipmentJsonHasTheDocumentedShape() throws Exception {
        try (Receiver server = new Receiver("s3cret"); Agent a = agent(server.url(), "s3cret", 1 << 20)) {
            Files.writeString(dir.resolve("app.log"), LogTailTest.STACK + LogTailTest.error(1) + LogTailTest.error(2));
            a.shipOnce();
            Shipment s = server.shipments.get(0);
            String json = new String(s.toJson(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"format\":1", "\"app\":\"shop\"", "\"instance\":\"shop-1\"", "\"bucketSeconds\":10", "\"kind\":\"EXCEPTION\"",
                    "\"rootCauseType\":\"java.lang.ClassNotFoundException\"", "\"counts\":[{\"bucketStart\":", "\"samples\":[", "\"stats\":{\"lines\":10",
                    "\"dropped\":{\"shipments\":0");
            assertThat(s.groups()).hasSize(2);
            assertThat(s.events()).isEqualTo(3);
            assertThat(s.logCounts()).allSatisfy(c -> assertThat(c.instance()).isEqualTo("shop-1"));
            assertThat(s.groups()).extracting(g -> g.toLogGroup().sample()).allSatisfy(sample -> assertThat(sample).startsWith("2024-03-01 10:00:0"));
            assertThat(Shipment.fromJson(s.toJson())).isEqualTo(s);
            assertThatThrownBy(() -> Shipment.fromJson("{\"format\":1,".getBytes())).hasMessageStartingWith("malformed shipment");
        }
    }
}
