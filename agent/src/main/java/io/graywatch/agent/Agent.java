package io.graywatch.agent;

import io.graywatch.agent.ship.DiskBuffer;
import io.graywatch.agent.ship.Shipment;
import io.graywatch.agent.ship.Shipper;
import io.graywatch.agent.tail.LogTail;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.logs.LogParser;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent of one instance: follows its log files, cuts a {@link Shipment} every interval, keeps
 * it in the disk buffer and sends the buffer to the server, retrying with backoff while the server
 * is unreachable. Says (through {@code report}) when the server goes away and comes back, when
 * the buffer is full and what was dropped, and when the token is rejected.
 */
public final class Agent implements Closeable {
    public static final String VERSION = "0.1.0";

    /**
     * @param interval  how often a shipment is cut
     * @param pollEvery how often the files are read
     */
    public record Settings(String app, String instance, URI server, String token, Duration interval, Duration pollEvery, Path bufferDir,
                           long bufferMaxBytes, LogTail.Options tail, Duration httpTimeout, Duration minBackoff, Duration maxBackoff) {
        public Settings {
            if (app == null || app.isBlank()) throw new IllegalArgumentException("--app must not be blank");
            if (instance == null || instance.isBlank()) throw new IllegalArgumentException("--instance must not be blank");
            if (token == null || token.isBlank()) throw new IllegalArgumentException("--token must not be blank");
            Shipper.endpoint(server);
        }

        public static Settings of(String app, String instance, URI server, String token, List<String> globs, Path bufferDir) {
            return new Settings(app, instance, server, token, Duration.ofSeconds(10), Duration.ofMillis(500), bufferDir, 64L << 20,
                    LogTail.Options.of(globs), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1));
        }

        public Settings withInterval(Duration v) {
            return new Settings(app, instance, server, token, v, pollEvery, bufferDir, bufferMaxBytes, tail, httpTimeout, minBackoff, maxBackoff);
        }

        public Settings withBufferMaxBytes(long v) {
            return new Settings(app, instance, server, token, interval, pollEvery, bufferDir, v, tail, httpTimeout, minBackoff, maxBackoff);
        }

        public Settings withTail(LogTail.Options v) {
            return new Settings(app, instance, server, token, interval, pollEvery, bufferDir, bufferMaxBytes, v, httpTimeout, minBackoff, maxBackoff);
        }

        public Settings withBackoff(Duration min, Duration max) {
            return new Settings(app, instance, server, token, interval, pollEvery, bufferDir, bufferMaxBytes, tail, httpTimeout, min, max);
        }
    }

    private final Settings settings;
    private final Consumer<String> report;
    private final LogTail tail;
    private final DiskBuffer buffer;
    private final Shipper shipper;
    private final long startedAt = System.currentTimeMillis();
    private long sequence;
    private Shipment.Dropped dropped = Shipment.Dropped.NONE;
    private LogTail.Stats last = new LogTail.Stats(new LogParser.Stats(0, 0, 0, 0, 0), 0, 0, 0, 0, null);
    private Shipper.Outcome lastOutcome = Shipper.Outcome.SENT;
    private String lastReadError;

    public Agent(Settings settings, Consumer<String> report) throws IOException {
        this.settings = settings;
        this.report = report;
        this.buffer = new DiskBuffer(settings.bufferDir(), settings.bufferMaxBytes());
        this.tail = new LogTail(settings.tail());
        this.shipper = new Shipper(settings.server(), settings.token(), buffer, settings.httpTimeout(), settings.minBackoff(), settings.maxBackoff());
    }

    /** Reads the files once more, cuts a shipment of everything since the last one, buffers it and sends what is buffered. */
    public synchronized Shipper.Result shipOnce() {
        tail.poll();
        List<LogGrouper.Activity> activity = tail.drain();
        LogTail.Stats now = tail.stats();
        LogParser.Stats p = now.parsed(), q = last.parsed();
        Shipment.Stats stats = new Shipment.Stats(p.lines() - q.lines(), p.events() - q.events(), p.skippedEvents() - q.skippedEvents(),
                p.truncatedLines() - q.truncatedLines(), p.binaryLines() - q.binaryLines(), now.bytes() - last.bytes(), now.files());
        last = now;
        if (now.lastError() != null && !now.lastError().equals(lastReadError)) report.accept(now.lastError());
        lastReadError = now.lastError();
        long seq = ++sequence;
        long at = System.currentTimeMillis() / 1000;
        try {
            // The dropped counters are digits in the JSON; the slack covers them growing when stamped again.
            int size = shipment(seq, at, activity, stats).toJson().length + 64;
            noteDropped(buffer.makeRoom(size));
            noteDropped(buffer.add(shipment(seq, at, activity, stats).toJson()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the buffer " + buffer.dir() + ": " + e.getMessage(), e);
        }
        return send();
    }

    private Shipment shipment(long seq, long at, List<LogGrouper.Activity> activity, Shipment.Stats stats) {
        return Shipment.of(settings.instance() + "-" + startedAt + "-" + seq, settings.app(), settings.instance(), VERSION, startedAt, seq,
                at, settings.tail().grouping().bucketSeconds(), activity, stats, dropped);
    }

    private void noteDropped(Shipment.Dropped d) {
        if (d.shipments() == 0) return;
        dropped = dropped.plus(d);
        report.accept("the buffer (" + Units.mib(settings.bufferMaxBytes()) + " in " + buffer.dir() + ") is full: dropped the oldest "
                + d.shipments() + " shipment(s) with " + d.events() + " events (" + Units.mib(d.bytes()) + "); dropped since start: "
                + dropped.shipments() + " shipment(s), " + dropped.events() + " events");
    }

    private Shipper.Result send() {
        Shipper.Result r = shipper.sendPending();
        if (r.rejected().shipments() > 0) {
            dropped = dropped.plus(r.rejected());
            report.accept(r.message());
        }
        if (r.outcome() == Shipper.Outcome.UNREACHABLE && lastOutcome != Shipper.Outcome.UNREACHABLE) {
            report.accept(r.message() + "; keeping shipments in " + buffer.dir() + " (up to " + Units.mib(settings.bufferMaxBytes())
                    + ") and retrying with backoff");
        } else if (r.outcome() == Shipper.Outcome.SENT && lastOutcome != Shipper.Outcome.SENT) {
            report.accept("the server is reachable again: sent " + r.sent() + " buffered shipment(s)");
        } else if (r.outcome() == Shipper.Outcome.TOKEN_REJECTED) {
            report.accept(r.message());
        }
        if (r.outcome() != Shipper.Outcome.WAITING) lastOutcome = r.outcome();
        return r;
    }

    /**
     * Runs until {@code stop} is counted down: reads the files every {@code pollEvery}, ships every
     * {@code interval}, retries in between when backing off. Returns 0, or 3 when the server rejected
     * the token (the buffer is kept for the next run).
     */
    public int run(CountDownLatch stop) throws InterruptedException {
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "graywatch-tail");
            t.setDaemon(true);
            return t;
        });
        long pollMs = settings.pollEvery().toMillis();
        poller.scheduleWithFixedDelay(() -> {
            try {
                tail.poll();
            } catch (RuntimeException e) {
                report.accept("reading the logs failed: " + e);
            }
        }, 0, pollMs, TimeUnit.MILLISECONDS);
        try {
            long intervalNs = settings.interval().toNanos();
            long nextShip = System.nanoTime() + intervalNs;
            while (true) {
                long wait = nextShip - System.nanoTime();
                Duration backoff = shipper.backoffLeft();
                if (lastOutcome == Shipper.Outcome.UNREACHABLE && buffer.size() > 0) wait = Math.min(wait, Math.max(backoff.toNanos(), 1_000_000));
                if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) break;
                Shipper.Result r;
                if (System.nanoTime() >= nextShip) {
                    nextShip += intervalNs;
                    r = shipOnce();
                } else {
                    r = send();
                }
                if (r.outcome() == Shipper.Outcome.TOKEN_REJECTED) return 3;
            }
            tail.flush();
            shipOnce();
            return 0;
        } finally {
            poller.shutdownNow();
        }
    }

    public LogTail tail() {
        return tail;
    }

    public DiskBuffer buffer() {
        return buffer;
    }

    /** Dropped since start (buffer overflow and shipments the server refused). */
    public synchronized Shipment.Dropped dropped() {
        return dropped;
    }

    @Override
    public void close() throws IOException {
        tail.close();
        buffer.close();
    }
}
