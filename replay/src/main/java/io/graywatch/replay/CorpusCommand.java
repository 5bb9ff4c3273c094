package io.graywatch.replay;

import io.graywatch.replay.generate.CorpusGenerator;
import io.graywatch.replay.generate.GeneratorSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "corpus", mixinStandardHelpOptions = true, description = "Replay corpora (see the corpus FORMAT.md).",
        subcommands = {CorpusCommand.Generate.class, CorpusExportCommand.class})
public class CorpusCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Writes a labelled corpus of generated releases, half good and half bad: real NAB backgrounds scaled and shifted per instance "
                    + "with per-instance noise; faults of eight kinds and random intensity on the released instances; traps in good and bad cases "
                    + "(global surges and dips, upstream incidents, deploy warm-up, flaky exceptions, low traffic, missing data, a noisy reference instance, "
                    + "benign changes, harmless new WARN lines); single-instance before/after cases.",
                    "The same seed and options give a byte-identical corpus. Besides labels.csv it writes generated.csv (fault and traps of each case), "
                    + "which replay uses only to annotate its report."})
    static class Generate implements Callable<Integer> {
        private static GeneratorSettings.Naming naming(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "named" -> GeneratorSettings.Naming.NAMED;
                case "opaque" -> GeneratorSettings.Naming.OPAQUE;
                case "opaque-without-units" -> GeneratorSettings.Naming.OPAQUE_WITHOUT_UNITS;
                default -> throw new IllegalArgumentException("--metric-names must be named, opaque or opaque-without-units, got '" + s + "'");
            };
        }

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "a new or empty folder")
        Path out;

        @Option(names = "--cases", paramLabel = "N", defaultValue = "1000", description = "number of cases (default: ${DEFAULT-VALUE})")
        int cases;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--bad-share", paramLabel = "F", defaultValue = "0.5", description = "share of bad cases (default: ${DEFAULT-VALUE})")
        double badShare;

        @Option(names = "--single-instance-share", paramLabel = "F", defaultValue = "0.1",
                description = "share of single-instance before/after cases (default: ${DEFAULT-VALUE})")
        double singleShare;

        @Option(names = "--history-minutes", paramLabel = "M", defaultValue = "120", description = "history before each release (default: ${DEFAULT-VALUE})")
        int historyMinutes;

        @Option(names = "--step", paramLabel = "SECONDS", defaultValue = "60",
                description = "seconds between samples (default: ${DEFAULT-VALUE}): whole minutes write each metric's mean over the step, as a store "
                        + "keeping five-minute points does; a divisor of a minute (15, 30) splits each minute into scrapes")
        long stepSeconds;

        @Option(names = "--scrape-offsets", description = "scrape each instance at its own offset of 0-49 s into the minute, each sample "
                + "covering the minute before its stamp, rather than on the minute (step 60 only)")
        boolean scrapeOffsets;

        @Option(names = "--metric-names", paramLabel = "NAMING", defaultValue = "named",
                description = "named (rt_ms, success_rate), opaque (metric_1.., units kept) or opaque-without-units, as an anonymised "
                        + "export has them; kind and bad direction always stay (default: ${DEFAULT-VALUE})")
        String metricNames;

        @Option(names = "--fault-minutes", paramLabel = "M", defaultValue = "0",
                description = "how long a bad case's fault lasts from when it shows, as a chaos experiment injects one for a few minutes "
                        + "(default: 0, until the release ends)")
        int faultMinutes;

        @Option(names = "--injected", description = "the faults are injected into instances that keep running, as fault-injection "
                + "experiments converted to this format have them: no restart, no deploy spike, the same instance names")
        boolean injected;

        @Option(names = "--threads", paramLabel = "N", description = "cases generated at once (default: the number of cores)")
        Integer threads;

        @Override
        public Integer call() throws IOException {
            GeneratorSettings settings;
            try {
                settings = GeneratorSettings.of(cases, seed).withBadShare(badShare).withSingleInstanceShare(singleShare).withHistoryMinutes(historyMinutes)
                        .withStepSeconds(stepSeconds).withScrapeOffsets(scrapeOffsets).withNaming(naming(metricNames)).withFaultMinutes(faultMinutes).withInjected(injected);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            Progress progress = new Progress(System.err, "generate");
            long started = System.nanoTime();
            try {
                CorpusGenerator.write(out, settings, threads != null ? threads : Runtime.getRuntime().availableProcessors(),
                        done -> progress.progress(done, cases));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            System.out.printf("wrote %d cases, %s and %s to %s in %.1f s%n", cases, "labels.csv", CorpusGenerator.ANNEX, out, (System.nanoTime() - started) / 1e9);
            return 0;
        }
    }
}
