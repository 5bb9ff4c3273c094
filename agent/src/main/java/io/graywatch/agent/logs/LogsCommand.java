package io.graywatch.agent.logs;

import io.graywatch.agent.AgentCommand;
import io.graywatch.agent.bench.BenchCommand;
import io.graywatch.core.logs.AppPackages;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.logs.LogLevel;
import io.graywatch.core.logs.LogParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code graywatch logs}: the agent's parser and grouping, offline. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Reads log files offline with the agent's parser and grouping.",
        subcommands = {LogsCommand.Group.class, BenchCommand.class, CommandLine.HelpCommand.class})
public class LogsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code graywatch logs group FILE... --out groups.csv}. */
    @Command(name = "group", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Groups the events of log files: an event with a stack trace by its exception fingerprint, any other by its "
                    + "mined template. Writes one CSV row per event (lineNumber,groupId,template; an event with a stack trace is one event, "
                    + "at the line where it starts; line numbers run on across files, as if they were concatenated) and prints the groups "
                    + "by count with one sample each.")
    public static class Group implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "log files, read in this order")
        List<Path> files;
        @Option(names = "--out", required = true, paramLabel = "CSV", description = "where to write the groups of the events")
        Path out;
        @Option(names = "--min-level", paramLabel = "LEVEL", description = "only events at this level or above (default: every event)")
        String minLevel;
        @Option(names = "--charset", defaultValue = "auto", description = "UTF-8, GBK or auto (default: ${DEFAULT-VALUE})")
        String charset;
        @Option(names = "--app-packages", split = ",", paramLabel = "PREFIX", description = "the application's package prefixes for fingerprints")
        List<String> appPackages = List.of();
        @Option(names = "--similarity", defaultValue = "0.5", description = "share of equal words to join a template (default: ${DEFAULT-VALUE})")
        double similarity;
        @Option(names = "--top", defaultValue = "20", description = "groups shown (default: ${DEFAULT-VALUE})")
        int top;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr(), outTable = spec.commandLine().getOut();
            LogParser.Config parser;
            LogGrouper.Config grouping;
            try {
                for (Path f : files) {
                    if (!Files.exists(f)) throw new IllegalArgumentException("cannot read " + f + ": no such file");
                    if (!Files.isRegularFile(f)) throw new IllegalArgumentException("cannot read " + f + ": not a regular file");
                    if (!Files.isReadable(f)) throw new IllegalArgumentException("cannot read " + f + ": permission denied");
                }
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) throw new IllegalArgumentException("cannot write " + out + ": no directory " + parent);
                parser = LogParser.Config.defaults().withMinLevel(minLevel == null ? null : LogLevel.parse(minLevel))
                        .withCharset(AgentCommand.charset(charset));
                grouping = LogGrouper.Config.defaults().withPackages(AppPackages.of(appPackages)).withSimilarity(similarity);
            } catch (IllegalArgumentException e) {
                err.println("graywatch logs group: " + e.getMessage());
                return 2;
            }
            FileGrouping g = FileGrouping.of(files, parser, grouping);
            writeCsv(g, out);
            printTable(g, outTable);
            LogParser.Stats s = g.stats();
            outTable.printf(Locale.ROOT, "%d lines, %d events, %d groups%s%s; wrote %s%n", s.lines(), g.size(), g.groups(),
                    s.truncatedLines() > 0 ? ", " + s.truncatedLines() + " lines cut at 64 KiB" : "",
                    s.binaryLines() > 0 ? ", " + s.binaryLines() + " binary lines skipped" : "", out);
            return 0;
        }

        static void writeCsv(FileGrouping g, Path out) throws IOException {
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("lineNumber,groupId,template\n");
                for (int i = 0; i < g.size(); i++) {
                    LogGroup group = g.group(i);
                    w.write(Long.toString(g.line(i)));
                    w.write(',');
                    w.write(group.id());
                    w.write(',');
                    w.write(csv(group.template()));
                    w.write('\n');
                }
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        }

        static String csv(String s) {
            if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
            return '"' + s.replace("\"", "\"\"") + '"';
        }

        private void printTable(FileGrouping g, PrintWriter out) {
            List<Integer> handles = new ArrayList<>();
            for (int h = 0; h < g.groups(); h++) handles.add(h);
            // templates that ended up equal are one group in the CSV: show them once
            handles.sort((a, b) -> Long.compare(g.total(b), g.total(a)));
            java.util.Map<String, Long> byId = new java.util.LinkedHashMap<>();
            java.util.Map<String, LogGroup> groups = new java.util.HashMap<>();
            for (int h : handles) {
                LogGroup lg = g.groupOf(h);
                byId.merge(lg.id(), g.total(h), Long::sum);
                groups.putIfAbsent(lg.id(), lg);
            }
            long events = g.size();
            out.printf(Locale.ROOT, "%8s %6s  %-16s %-9s %-5s %s%n", "COUNT", "SHARE", "GROUP", "KIND", "LEVEL", "TEMPLATE");
            byId.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(Math.max(top, 0)).forEach(e -> {
                LogGroup lg = groups.get(e.getKey());
                out.printf(Locale.ROOT, "%8d %5.1f%%  %-16s %-9s %-5s %s%n", e.getValue(), 100.0 * e.getValue() / Math.max(events, 1), lg.id(),
                        lg.kind().name().toLowerCase(Locale.ROOT), lg.level() == null ? "-" : lg.level(), cut(lg.template(), 120));
                String[] sample = lg.sample() == null ? new String[0] : lg.sample().split("\n");
                for (int i = 0; i < Math.min(sample.length, 6); i++) out.println("           " + (i == 0 ? "sample: " : "        ") + cut(sample[i], 160));
                if (sample.length > 6) out.println("                   … " + (sample.length - 6) + " more lines");
            });
            if (byId.size() > top) out.println("… and " + (byId.size() - top) + " more groups (see the CSV)");
        }

        private static String cut(String s, int max) {
            String t = s.replace('\t', ' ');
            return t.length() <= max ? t : t.substring(0, max - 1) + "…";
        }
    }
}
