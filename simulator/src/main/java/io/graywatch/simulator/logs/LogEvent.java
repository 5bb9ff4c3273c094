package io.graywatch.simulator.logs;

/**
 * One log event of an instance.
 *
 * @param error the exception printed below the line, or null
 */
public record LogEvent(long epochMillis, String level, String thread, String logger, String message, Throwable error) {
    public static LogEvent line(long epochMillis, String level, String thread, String logger, String message) {
        return new LogEvent(epochMillis, level, thread, logger, message, null);
    }
}
