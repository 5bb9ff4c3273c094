package io.graywatch.simulator.logs;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/**
 * One instance's log file, in the layout of Spring Boot's logback default:
 * {@code 2026-11-22 04:30:01.123 ERROR [http-nio-8080-exec-3] com.example.shop.OrderService - message},
 * followed by the stack trace of an exception when there is one.
 */
public final class InstanceLog implements Closeable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final Path file;
    private final DateTimeFormatter time;
    private final BufferedWriter out;
    private final PrintWriter printer;

    /** Starts a fresh file (a new fleet is a new host); restarts of the instance append to it. */
    public InstanceLog(Path file, ZoneId zone) {
        this.file = file;
        this.time = TIME.withZone(zone);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log file " + file, e);
        }
        printer = new PrintWriter(out);
    }

    public Path file() { return file; }

    /** Writes the events in time order and flushes, so a tailing reader sees whole events. */
    public synchronized void write(List<LogEvent> events) {
        events.stream().sorted(Comparator.comparingLong(LogEvent::epochMillis)).forEach(this::print);
        printer.flush();
        if (printer.checkError()) throw new UncheckedIOException(new IOException("cannot write the log file " + file));
    }

    private void print(LogEvent e) {
        printer.print(time.format(Instant.ofEpochMilli(e.epochMillis())));
        printer.print(' ');
        printer.print(String.format("%-5s", e.level()));
        printer.print(" [");
        printer.print(e.thread());
        printer.print("] ");
        printer.print(e.logger());
        printer.print(" - ");
        printer.print(e.message());
        printer.print('\n');
        if (e.error() != null) {
            // the JDK separates lines with the platform's separator; logs here are always \n
            StringWriter s = new StringWriter();
            e.error().printStackTrace(new PrintWriter(s));
            printer.print(s.toString().replace(System.lineSeparator(), "\n"));
        }
    }

    @Override
    public synchronized void close() {
        printer.close();
    }
}
