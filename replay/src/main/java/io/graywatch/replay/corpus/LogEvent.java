package io.graywatch.replay.corpus;

/**
 * One line of logs.jsonl: an exception or ERROR line, standing for {@code count} identical events.
 *
 * @param logger may be null
 * @param stack  the full stack trace, or null for a line without one
 */
public record LogEvent(long timestamp, String instance, String level, String logger, String message, String stack, long count) {
}
