package io.graywatch.cli;

import io.graywatch.server.GraywatchServer;
import io.graywatch.server.demo.DemoScenario;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the demo: a simulated fleet, a healthy release that completes and a faulty one that Graywatch intercepts.",
                "Starts the server with 12 simulated instances of the sample 'shop' app, releases a healthy v2 through five batches,"
                        + " then a faulty v3, which the guard intercepts in its first batch with users.",
                "Extra Spring properties may follow, e.g. --spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/graywatch"})
class DemoCommand implements Callable<Integer> {

    @Option(names = "--exit-when-done", description = "Stop after both releases; exit 0 only if v2 completed and v3 was intercepted.")
    boolean exitWhenDone;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the UI and API on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "./graywatch-data", description = "Folder of the H2 database and the fleet's logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--scrape-interval", defaultValue = "2s", description = "How often the built-in scraper reads every instance (default: ${DEFAULT-VALUE}).")
    String scrapeInterval;

    @Parameters(arity = "0..*", paramLabel = "--name=value", description = "Spring properties passed to the server.")
    List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--graywatch.demo.enabled=true",
                "--server.port=" + port,
                "--graywatch.data-dir=" + dataDir.toAbsolutePath().normalize(),
                "--graywatch.scraper.interval=" + scrapeInterval));
        args.addAll(springArgs);
        ConfigurableApplicationContext context;
        try {
            context = GraywatchServer.start(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            System.err.println("graywatch demo: the server did not start: " + startFailure(e));
            return 2;
        }
        DemoScenario.Outcome outcome;
        try {
            outcome = context.getBean(DemoScenario.class).outcome().get();
        } catch (ExecutionException e) {
            if (exitWhenDone) {
                context.close();
                return 1;
            }
            outcome = null;
        }
        if (exitWhenDone) {
            context.close();
            return outcome.ok() ? 0 : 1;
        }
        System.out.println("the server keeps running; press Ctrl-C to stop");
        new CountDownLatch(1).await();
        return 0;
    }

    private String startFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PortInUseException) return "port " + port + " is in use: pass --port with a free one";
        }
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return root.getMessage();
    }
}
