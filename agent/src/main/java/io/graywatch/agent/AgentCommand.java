package io.graywatch.agent;

import io.graywatch.agent.tail.LogTail;
import io.graywatch.core.logs.AppPackages;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.logs.LogLevel;
import io.graywatch.core.logs.LogParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code graywatch agent}: follows an instance's log files and ships exception and error-template groups to the server. */
@Command(name = "agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Follows an instance's log files and ships its exception and error-template groups to the Graywatch server. "
                + "Follows rotation by rename and copy-truncate, reads multi-line Java stack traces, UTF-8 and GBK; every interval it ships "
                + "counts per time bucket, first/last seen and a few full samples. Keeps shipments on local disk while the server is "
                + "unreachable and says what it had to drop when that buffer is full.")
public class AgentCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, paramLabel = "URL", description = "Graywatch server, e.g. http://graywatch:8080")
    String server;
    @Option(names = "--token", required = true, paramLabel = "T", defaultValue = "${env:GRAYWATCH_TOKEN}",
            description = "agent token for the app (default: $GRAYWATCH_TOKEN)")
    String token;
    @Option(names = "--app", required = true, paramLabel = "A", description = "the app these logs belong to")
    String app;
    @Option(names = "--instance", paramLabel = "I", description = "this instance's id (default: the host name)")
    String instance;
    @Option(names = "--logs", required = true, arity = "1..*", paramLabel = "GLOB", description = "log files or globs, e.g. '/var/log/app/*.log'")
    List<String> logs;
    @Option(names = "--interval", defaultValue = "10s", description = "how often to ship (default: ${DEFAULT-VALUE})")
    String interval;
    @Option(names = "--buffer-dir", paramLabel = "DIR", description = "where shipments wait while the server is unreachable (default: <tmp>/graywatch-agent/<app>/<instance>)")
    Path bufferDir;
    @Option(names = "--buffer-max-bytes", defaultValue = "64m", paramLabel = "N", description = "size of that buffer (default: ${DEFAULT-VALUE})")
    String bufferMaxBytes;
    @Option(names = "--charset", defaultValue = "auto", description = "UTF-8, GBK or auto (per event: UTF-8 when valid, else GBK; default: ${DEFAULT-VALUE})")
    String charset;
    @Option(names = "--min-level", defaultValue = "WARN", description = "lowest level grouped; stack traces without a level are always read (default: ${DEFAULT-VALUE})")
    String minLevel;
    @Option(names = "--app-packages", split = ",", paramLabel = "PREFIX",
            description = "the application's package prefixes for fingerprints (default: every package that is not a known library)")
    List<String> appPackages = List.of();
    @Option(names = "--from-start", description = "read files that exist at start from their beginning (default: from their end, like tail -F)")
    boolean fromStart;
    @Option(names = "--zone", description = "time zone of log timestamps without one (default: this host's)")
    String zone;
    @Option(names = "--bucket", defaultValue = "10s", description = "width of a count bucket (default: ${DEFAULT-VALUE})")
    String bucket;
    @Option(names = "--max-line-bytes", defaultValue = "64k", description = "longer lines are cut and counted (default: ${DEFAULT-VALUE})")
    String maxLineBytes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Agent.Settings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            err.println("graywatch agent: " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1), done = new CountDownLatch(1);
        // on SIGTERM the JVM only waits for its shutdown hooks: this one lets the agent cut and send a last shipment
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "graywatch-agent-stop");
        try (Agent agent = new Agent(settings, m -> {
            err.println("graywatch agent: " + m);
            err.flush();
        })) {
            Runtime.getRuntime().addShutdownHook(hook);
            err.println("graywatch agent " + Agent.VERSION + ": app " + settings.app() + ", instance " + settings.instance() + ", shipping to "
                    + settings.server() + " every " + settings.interval().toSeconds() + " s; logs " + String.join(" ", settings.tail().globs()));
            err.flush();
            int code = agent.run(stop);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for done
            }
            return code;
        } catch (IllegalStateException e) {
            err.println("graywatch agent: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("graywatch agent: cannot use the buffer directory " + settings.bufferDir() + ": " + e);
            return 2;
        } finally {
            done.countDown();
        }
    }

    Agent.Settings settings() throws Exception {
        String inst = instance != null ? instance : hostName();
        Path dir = bufferDir != null ? bufferDir : Path.of(System.getProperty("java.io.tmpdir"), "graywatch-agent", safe(app), safe(inst));
        LogParser.Config parser = LogParser.Config.defaults().withMinLevel(LogLevel.parse(minLevel)).withCharset(charset(charset))
                .withZone(zone == null ? ZoneId.systemDefault() : ZoneId.of(zone))
                .withMaxLineBytes((int) Math.min(Integer.MAX_VALUE, Units.bytes("--max-line-bytes", maxLineBytes)));
        LogGrouper.Config grouping = LogGrouper.Config.defaults().withPackages(AppPackages.of(appPackages))
                .withBucketSeconds(Units.duration("--bucket", bucket).toSeconds());
        LogTail.Options tail = LogTail.Options.of(logs).withParser(parser).withGrouping(grouping).withFromStart(fromStart);
        URI url;
        try {
            url = URI.create(server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server: '" + server + "' is not a URL");
        }
        return Agent.Settings.of(app, inst, url, token, logs, dir).withTail(tail).withInterval(Units.duration("--interval", interval))
                .withBufferMaxBytes(Units.bytes("--buffer-max-bytes", bufferMaxBytes));
    }

    /** {@code UTF-8}, {@code GBK} or {@code auto} (null: detect per event). */
    public static Charset charset(String name) {
        String n = name.trim();
        if (n.equalsIgnoreCase("auto")) return null;
        if (n.equalsIgnoreCase("UTF-8") || n.equalsIgnoreCase("utf8")) return java.nio.charset.StandardCharsets.UTF_8;
        if (n.equalsIgnoreCase("GBK")) return Charset.forName("GBK");
        throw new IllegalArgumentException("--charset: use UTF-8, GBK or auto, not '" + name + "'");
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return h;
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot tell this host's name: give --instance");
        }
    }

    /** Runs the agent on its own, e.g. as a child process of {@code graywatch logs bench}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentCommand()).execute(args));
    }
}
