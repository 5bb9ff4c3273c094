package io.graywatch.server.demo;

import io.graywatch.agent.Agent;
import io.graywatch.agent.tail.LogTail;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.server.logs.LogStore;
import io.graywatch.simulator.fleet.SimulatedFleet;
import io.graywatch.simulator.fleet.SimulatedInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * One real {@link Agent} per simulated instance, in this process: it tails the instance's log
 * file and ships to the demo server over HTTP with the server's agent token, exactly as
 * {@code graywatch agent} would on the instance's host. The agents cut a shipment every second
 * and count in buckets of the guard's step, so the guard sees the logs as promptly as the metrics.
 */
@Component
@ConditionalOnProperty(name = "graywatch.demo.enabled", havingValue = "true")
class DemoAgents implements SmartLifecycle {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(250);

    private final SimulatedFleet fleet;
    private final LogStore logs;
    private final String token;
    private final Path bufferRoot;
    private final long bucketSeconds;
    private final PrintStream out = System.out;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    DemoAgents(SimulatedFleet fleet, LogStore logs, @Value("${" + DemoAgentToken.PROPERTY + "}") String token,
               @Value("${graywatch.data-dir}") Path dataDir, @Value("${graywatch.scraper.interval:15s}") Duration scrapeInterval) {
        this.fleet = fleet;
        this.logs = logs;
        this.token = token;
        this.bufferRoot = dataDir.resolve("demo-agents");
        this.bucketSeconds = Math.max(1, scrapeInterval.toSeconds());
    }

    /**
     * Starts an agent for every instance, shipping to the server on this port. What an earlier demo
     * shipped belongs to a fleet that is gone: it is forgotten first, with the buffers it left.
     */
    synchronized void start(int port) {
        if (!threads.isEmpty()) return;
        logs.forget(fleet.app());
        deleteBuffers();
        URI server = URI.create("http://127.0.0.1:" + port);
        for (SimulatedInstance instance : fleet.instances()) {
            String file = instance.logFile().toString();
            Agent.Settings defaults = Agent.Settings.of(fleet.app(), instance.id(), server, token, List.of(file), bufferRoot.resolve(instance.id()));
            LogTail.Options tail = LogTail.Options.of(List.of(file)).withFromStart(true)
                    .withGrouping(LogGrouper.Config.defaults().withBucketSeconds(bucketSeconds))
                    .withQuietPeriods(Duration.ofMillis(300), Duration.ofSeconds(5));
            Agent.Settings settings = new Agent.Settings(defaults.app(), defaults.instance(), server, token, INTERVAL, POLL, defaults.bufferDir(),
                    defaults.bufferMaxBytes(), tail, Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(5));
            Agent agent;
            try {
                agent = new Agent(settings, message -> {
                    if (running) out.printf("agent %s: %s%n", instance.id(), message);
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the agent of " + instance.id(), e);
            }
            Thread t = new Thread(() -> run(agent), "graywatch-demo-agent-" + instance.id());
            t.setDaemon(true);
            threads.add(t);
        }
        running = true;
        threads.forEach(Thread::start);
    }

    private void run(Agent agent) {
        try (agent) {
            agent.run(stop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (running) out.println("demo: an agent stopped: " + e.getMessage());
        }
    }

    private void deleteBuffers() {
        if (!Files.exists(bufferRoot)) return;
        try (Stream<Path> files = Files.walk(bufferRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + bufferRoot, e);
        }
    }

    @Override
    public void start() {
        // the agents start with the demo's story, once the app they ship for exists (see DemoScenario)
    }

    /** Stops the agents before the web server stops, so their last shipment still reaches it. */
    @Override
    public void stop() {
        stop.countDown();
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
