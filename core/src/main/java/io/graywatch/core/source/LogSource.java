package io.graywatch.core.source;

import io.graywatch.core.logs.LogData;

import java.util.Collection;

/** Where a guard reads log groups: the agent's shipments, or log files on this host. */
public interface LogSource {
    /** Groups seen on the instances and their counts in buckets that start in {@code [from, to]}. */
    LogData fetch(String app, Collection<String> instances, long from, long to);
}
