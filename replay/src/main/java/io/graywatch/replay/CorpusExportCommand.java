package io.graywatch.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** {@code corpus export}: a running server's recorded releases as a corpus folder, through its API (no database needed). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Downloads recorded releases from a running Graywatch server as a replay corpus and unpacks it into DIR: "
                + "a case folder per release (case.json with the live guard's settings and round moments, series.csv, logs.jsonl when logs were recorded) "
                + "and live-verdicts.csv, the verdicts the live guards gave, to compare a replay with (replay --compare DIR/live-verdicts.csv).",
                "Name the releases with --release, or an app with --app (every release of it that its guard judged, optionally --from/--to)."})
public class CorpusExportCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080", description = "the server (default: ${DEFAULT-VALUE})")
    URI server;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "a new or empty folder")
    Path out;

    @Option(names = "--release", paramLabel = "ID", description = "a release id; repeat for several")
    List<Long> releases;

    @Option(names = "--app", paramLabel = "APP", description = "every release of this app that its guard judged")
    String app;

    @Option(names = "--from", paramLabel = "INSTANT", description = "with --app: releases created at or after this ISO-8601 instant, e.g. 2030-01-01T00:00:00Z")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "with --app: releases created before this instant")
    String to;

    @Override
    public Integer call() throws IOException {
        if ((releases == null || releases.isEmpty()) == (app == null))
            throw new CommandLine.ParameterException(spec.commandLine(), "name the releases with --release ID (repeatable) or --app APP, not both and not neither");
        if (app == null && (from != null || to != null))
            throw new CommandLine.ParameterException(spec.commandLine(), "--from and --to go with --app");
        if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme()) || server.getHost() == null)
            throw new CommandLine.ParameterException(spec.commandLine(), "--server must be an http:// or https:// URL like http://127.0.0.1:8080, got " + server);
        if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out)))
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " must be a new or empty folder");
        ObjectNode body = JSON.createObjectNode();
        if (app != null) {
            body.put("app", app);
            if (from != null) body.put("from", from);
            if (to != null) body.put("to", to);
        } else {
            releases.forEach(body.putArray("releaseIds")::add);
        }
        URI url = server.resolve("/api/v1/corpus/export");
        HttpResponse<byte[]> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpTimeoutException e) {
            System.err.println("graywatch corpus export: cannot reach the Graywatch server at " + server + " (" + describe(e)
                    + "); is it running? Pass its address with --server");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (response.statusCode() != 200) {
            System.err.println("graywatch corpus export: the server refused (HTTP " + response.statusCode() + "): " + problem(response.body()));
            return 1;
        }
        int cases = unzip(response.body(), out);
        System.out.println("wrote " + cases + " cases and live-verdicts.csv to " + out);
        return 0;
    }

    /** Unpacks the server's zip; an entry that would land outside the folder is refused. */
    public static int unzip(byte[] zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        int cases = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) throw new IOException("the server's zip holds an entry outside the corpus: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
                if (target.getFileName().toString().equals("case.json")) cases++;
            }
        }
        return cases;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** The problem's detail when the server sent one (it always does for 4xx), else the body's start. */
    private static String problem(byte[] body) {
        try (InputStream in = new ByteArrayInputStream(body)) {
            JsonNode n = JSON.readTree(in);
            if (n != null && n.hasNonNull("detail")) return n.get("detail").asText();
        } catch (IOException ignored) {
            // not JSON: show the text
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "no message" : text.substring(0, Math.min(300, text.length()));
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
