package io.graywatch.agent.bench;

import com.sun.net.httpserver.HttpServer;
import io.graywatch.agent.AgentCommand;
import io.graywatch.agent.Units;
import io.graywatch.agent.logs.FileGrouping;
import io.graywatch.agent.ship.Shipment;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.logs.LogLevel;
import io.graywatch.core.logs.LogParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code graywatch logs bench}: how fast the agent's parser is, and what the agent costs on a
 * host. Generates a log (a Java service's, with the given share of stack-trace lines), parses and
 * groups it on one thread as the agent does (WARN and above grouped, the rest skipped) and as
 * {@code logs group} does (every event mined), scores the grouping on a labelled log, then starts
 * a real {@code graywatch agent} process on a file written at a steady rate and measures that
 * process's CPU time.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures the log parser (lines per second on one core) and the agent's CPU share at a steady write rate.")
public class BenchCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "1g", description = "size of the generated log (default: ${DEFAULT-VALUE})")
    String size;
    @Option(names = "--stack-share", defaultValue = "0.05", description = "share of lines that belong to stack traces (default: ${DEFAULT-VALUE})")
    double stackShare;
    @Option(names = "--rate", defaultValue = "5000", description = "lines per second written while the agent's CPU is measured (default: ${DEFAULT-VALUE})")
    int rate;
    @Option(names = "--cpu-seconds", defaultValue = "60", description = "how long the agent's CPU is measured, after a 15 s warm-up (default: ${DEFAULT-VALUE})")
    int cpuSeconds;
    @Option(names = "--skip-cpu", description = "only measure the parser")
    boolean skipCpu;
    @Option(names = "--dir", description = "where to generate (default: a temporary directory, deleted afterwards)")
    Path dir;
    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long bytes;
        try {
            bytes = Units.bytes("--size", size);
            if (stackShare < 0 || stackShare >= 1) throw new IllegalArgumentException("--stack-share must be in [0, 1)");
            if (rate < 1 || cpuSeconds < 1) throw new IllegalArgumentException("--rate and --cpu-seconds must be positive");
        } catch (IllegalArgumentException e) {
            err.println("graywatch logs bench: " + e.getMessage());
            return 2;
        }
        boolean temp = dir == null;
        Path work = temp ? Files.createTempDirectory("graywatch-bench") : Files.createDirectories(dir);
        try {
            if (Files.getFileStore(work).getUsableSpace() < bytes + (64L << 20)) {
                err.println("graywatch logs bench: not enough free space in " + work + " for a " + Units.mib(bytes) + " log; use --size or --dir");
                return 2;
            }
            Path log = work.resolve("bench.log");
            generate(log, bytes);
            out.printf(Locale.ROOT, "machine: %d cores, load average %.1f (other processes share the cores: compare CPU-seconds)%n",
                    Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            parse(log, LogParser.Config.defaults().withMinLevel(LogLevel.WARN), "agent (WARN and above grouped)");
            parse(log, LogParser.Config.defaults(), "logs group (every event mined)");
            accuracy(work);
            if (!skipCpu) cpu(work);
            return 0;
        } finally {
            if (temp) deleteTree(work);
        }
    }

    private void generate(Path log, long bytes) throws IOException {
        long t0 = System.nanoTime();
        LogGenerator gen = new LogGenerator(seed, stackShare);
        long written = 0;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(log), 1 << 20)) {
            StringBuilder sb = new StringBuilder(1 << 21);
            while (written < bytes) {
                gen.next(sb);
                if (sb.length() >= 1 << 20) {
                    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                    os.write(b);
                    written += b.length;
                    sb.setLength(0);
                }
            }
        }
        out.printf(Locale.ROOT, "generated %s: %,d lines, %,d events, %.1f%% of lines in %,d stack traces (%.1f s)%n", Units.mib(written), gen.lines(),
                gen.events(), 100.0 * gen.stackLines() / gen.lines(), gen.stackEvents(), (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    /**
     * Parses and groups the file on this thread. Two passes over its first 64 MiB warm the JIT up
     * first; the whole file is then measured once, in wall time and in this thread's CPU time (on a
     * shared machine the CPU time is what one core did).
     */
    private void parse(Path log, LogParser.Config config, String mode) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        for (int run = 0; run < 3; run++) {
            long limit = run < 2 ? 64L << 20 : Long.MAX_VALUE;
            LogGrouper grouper = new LogGrouper(LogGrouper.Config.defaults());
            LogParser parser = new LogParser(config, e -> grouper.add(e, 0));
            long cpu0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime(), size = 0;
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
                int n;
                while (size < limit && (n = ch.read(buf.clear())) > 0) {
                    parser.feed(buf.array(), 0, n);
                    size += n;
                }
            }
            parser.finish();
            double wall = (System.nanoTime() - t0) / 1e9, cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            if (limit != Long.MAX_VALUE) continue;
            LogParser.Stats s = parser.stats();
            out.printf(Locale.ROOT, "parser, %s: %,.0f lines per CPU-second on one core (%,.0f lines/s wall, %.0f MiB/s); %,d lines, %,d events "
                            + "grouped into %d groups, %,d skipped; %.2f s wall, %.2f s CPU%n", mode, s.lines() / cpu, s.lines() / wall, size / 1048576.0 / wall,
                    s.lines(), s.events(), grouper.size(), s.skippedEvents(), wall, cpu);
            out.flush();
        }
    }

    private void accuracy(Path work) throws IOException {
        LogGenerator gen = new LogGenerator(seed + 1, stackShare);
        StringBuilder sb = new StringBuilder();
        int n = 200_000;
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) truth[i] = gen.next(sb);
        Path log = work.resolve("labelled.log");
        Files.writeString(log, sb, StandardCharsets.UTF_8);
        FileGrouping g = FileGrouping.of(List.of(log), LogParser.Config.defaults(), LogGrouper.Config.defaults());
        int[] predicted = new int[g.size()];
        for (int i = 0; i < g.size(); i++) predicted[i] = g.handle(i);
        GroupingAccuracy a = g.size() == n ? GroupingAccuracy.of(truth, predicted, n) : new GroupingAccuracy(n, 0, 0, 0);
        out.printf(Locale.ROOT, "grouping accuracy on a labelled log of %,d events (%,d with stack traces): %.4f; %d true groups, %d found%n", n,
                gen.stackEvents(), a.accuracy(), a.trueGroups(), a.predictedGroups());
        out.flush();
    }

    /** Runs a real agent process on a file written at {@code rate} lines per second and measures its CPU time. */
    private void cpu(Path work) throws Exception {
        AtomicLong shipments = new AtomicLong(), shippedEvents = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(Shipment.PATH, ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean ok = "Bearer bench".equals(ex.getRequestHeaders().getFirst("Authorization"));
            if (ok) {
                Shipment s = Shipment.fromJson(body);
                shipments.incrementAndGet();
                shippedEvents.addAndGet(s.events());
            }
            ex.sendResponseHeaders(ok ? 204 : 401, -1);
            ex.close();
        });
        server.start();
        Path log = work.resolve("cpu.log");
        Files.createFile(log);
        List<String> cmd = agentCommand(List.of("--server", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "bench", "--app", "bench",
                "--instance", "bench-1", "--logs", log.toString(), "--from-start", "--interval", "5s", "--buffer-dir", work.resolve("buffer").toString()));
        Process agent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("agent.out").toFile()).start();
        long warmup = 15;
        LogGenerator gen = new LogGenerator(seed + 2, stackShare);
        long expected = 0, linesInWindow = 0;
        Duration cpu0 = null;
        long t0 = 0;
        try (OutputStream os = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
            long start = System.nanoTime(), tick = 100_000_000L;
            long ticks = (warmup + cpuSeconds) * 10;
            for (long k = 0; k < ticks; k++) {
                if (k == warmup * 10) {
                    cpu0 = agent.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("this system does not report process CPU time"));
                    t0 = System.nanoTime();
                }
                StringBuilder sb = new StringBuilder();
                long target = (k + 1) * rate / 10;
                while (gen.lines() < target) {
                    int label = gen.next(sb);
                    if (LogLevel.parse(LogGenerator.level(label)).atLeast(LogLevel.WARN)) expected++;
                }
                os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                os.flush();
                if (k >= warmup * 10) linesInWindow = gen.lines();
                long sleep = start + (k + 1) * tick - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                if (!agent.isAlive()) throw new IllegalStateException("the agent stopped: " + Files.readString(work.resolve("agent.out")));
            }
        }
        Duration cpu1 = agent.info().totalCpuDuration().orElseThrow();
        double wall = (System.nanoTime() - t0) / 1e9;
        double share = (cpu1.toNanos() - cpu0.toNanos()) / 1e9 / wall;
        // let the agent ship what is left, then stop it as a service manager would
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (shippedEvents.get() < expected && System.nanoTime() < deadline) Thread.sleep(200);
        agent.destroy();
        agent.waitFor();
        server.stop(0);
        out.printf(Locale.ROOT, "agent process at %,d lines/s (%s): %.2f%% of one core (%.2f CPU-s in %.1f s); %,d events of WARN and above written, "
                        + "%,d shipped in %d shipments%n", rate, String.join(" ", cmd.subList(1, cmd.indexOf("--server") - 1)), share * 100,
                (cpu1.toNanos() - cpu0.toNanos()) / 1e9, wall, expected, shippedEvents.get(), shipments.get());
        out.flush();
    }

    /** The same distribution's agent: {@code java -jar graywatch.jar agent …}, or the agent's own main on a class path. */
    static List<String> agentCommand(List<String> args) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx256m", "-XX:+UseSerialGC"));
        if (cp.endsWith(".jar") && !cp.contains(File.pathSeparator) && isBootJar(Path.of(cp))) {
            cmd.addAll(List.of("-jar", cp, "agent"));
        } else {
            cmd.addAll(List.of("-cp", cp, AgentCommand.class.getName()));
        }
        cmd.addAll(args);
        return cmd;
    }

    private static boolean isBootJar(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest() != null && j.getManifest().getMainAttributes().getValue("Start-Class") != null;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
