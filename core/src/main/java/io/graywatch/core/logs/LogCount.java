package io.graywatch.core.logs;

/** How many events of one group an instance logged in the bucket starting at {@code bucketStart}. */
public record LogCount(long bucketStart, String instance, String groupId, long count) {
}
