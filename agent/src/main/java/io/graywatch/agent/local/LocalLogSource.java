package io.graywatch.agent.local;

import io.graywatch.agent.tail.LogTail;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.source.LogSource;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The agent's tailing and grouping run in-process for instances whose log files are on this host
 * (the demo's simulated fleet): each watched instance gets its own {@link LogTail}, exactly as a
 * separate {@code graywatch agent} would, and the groups and counts are kept in memory for a
 * retention period and served as a {@link LogSource}.
 *
 * <pre>{@code
 * LocalLogSource logs = new LocalLogSource(LogTail.Options.of(List.of()).withFromStart(true), 6 * 3600);
 * logs.watch("shop", "shop-1", List.of("/tmp/demo/shop-1/*.log"));
 * logs.start(Duration.ofSeconds(1));          // or call logs.poll() from your own scheduler
 * LogData data = logs.fetch("shop", List.of("shop-1", "shop-2"), from, to);
 * }</pre>
 */
public final class LocalLogSource implements LogSource, Closeable {
    private record Key(String app, String instance) {
    }

    private record CountKey(long bucketStart, String instance, String groupId) {
    }

    private static final class AppStore {
        final Map<String, LogGroup> groups = new HashMap<>();
        final TreeMap<Long, Map<CountKey, Long>> byBucket = new TreeMap<>();
    }

    private final LogTail.Options defaults;
    private final long retentionSeconds;
    private final LongSupplier clockSeconds;
    private final Map<Key, LogTail> tails = new HashMap<>();
    private final Map<String, AppStore> apps = new HashMap<>();
    private ScheduledExecutorService scheduler;

    /**
     * @param defaults         tail settings for every instance ({@code globs} are replaced per instance)
     * @param retentionSeconds counts older than this are forgotten
     */
    public LocalLogSource(LogTail.Options defaults, long retentionSeconds, LongSupplier clockSeconds) {
        if (retentionSeconds <= 0) throw new IllegalArgumentException("retentionSeconds must be positive");
        this.defaults = defaults;
        this.retentionSeconds = retentionSeconds;
        this.clockSeconds = clockSeconds;
    }

    public LocalLogSource(LogTail.Options defaults, long retentionSeconds) {
        this(defaults, retentionSeconds, () -> System.currentTimeMillis() / 1000);
    }

    /** Starts following an instance's log files (replacing an earlier watch of it). */
    public synchronized void watch(String app, String instance, List<String> globs) {
        LogTail.Options o = new LogTail.Options(globs, defaults.parser(), defaults.grouping(), defaults.fromStart(), defaults.idleFlush(),
                defaults.rotateGrace(), defaults.readBuffer());
        LogTail old = tails.put(new Key(app, instance), new LogTail(o, clockSeconds));
        if (old != null) old.close();
    }

    /** Stops following an instance; what was read stays until retention expires. */
    public synchronized void unwatch(String app, String instance) {
        LogTail t = tails.remove(new Key(app, instance));
        if (t != null) {
            t.poll();
            t.flush();
            store(app, instance, t.drain());
            t.close();
        }
    }

    /** Reads every watched instance's new lines and stores their groups and counts. */
    public synchronized void poll() {
        for (Map.Entry<Key, LogTail> e : tails.entrySet()) {
            LogTail t = e.getValue();
            t.poll();
            store(e.getKey().app(), e.getKey().instance(), t.drain());
        }
        long cutoff = clockSeconds.getAsLong() - retentionSeconds;
        for (AppStore s : apps.values()) s.byBucket.headMap(cutoff).clear();
    }

    /** Polls every {@code periodMillis} on a daemon thread until {@link #close()}. */
    public synchronized void start(java.time.Duration period) {
        if (scheduler != null) return;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "graywatch-local-logs");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::poll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void store(String app, String instance, List<LogGrouper.Activity> activity) {
        if (activity.isEmpty()) return;
        AppStore s = apps.computeIfAbsent(app, k -> new AppStore());
        for (LogGrouper.Activity a : activity) {
            LogGroup g = a.group();
            LogGroup known = s.groups.get(g.id());
            // keep the first sample seen: it is what people were shown first
            s.groups.put(g.id(), known == null || known.sample() == null ? g
                    : new LogGroup(g.id(), g.kind(), g.level(), g.exceptionType(), g.rootCauseType(), g.template(), known.sample()));
            a.counts().forEach((bucket, n) -> s.byBucket.computeIfAbsent(bucket, k -> new HashMap<>())
                    .merge(new CountKey(bucket, instance, g.id()), n, Long::sum));
        }
    }

    @Override
    public synchronized LogData fetch(String app, Collection<String> instances, long from, long to) {
        AppStore s = apps.get(app);
        long bucket = defaults.grouping().bucketSeconds();
        if (s == null) return LogData.empty(bucket);
        Set<String> wanted = new HashSet<>(instances);
        List<LogCount> counts = new ArrayList<>();
        Map<String, LogGroup> groups = new HashMap<>();
        for (Map<CountKey, Long> m : s.byBucket.subMap(from, true, to, true).values()) {
            for (Map.Entry<CountKey, Long> e : m.entrySet()) {
                CountKey k = e.getKey();
                if (!wanted.contains(k.instance())) continue;
                counts.add(new LogCount(k.bucketStart(), k.instance(), k.groupId(), e.getValue()));
                groups.computeIfAbsent(k.groupId(), s.groups::get);
            }
        }
        counts.sort((a, b) -> a.bucketStart() != b.bucketStart() ? Long.compare(a.bucketStart(), b.bucketStart())
                : a.instance().equals(b.instance()) ? a.groupId().compareTo(b.groupId()) : a.instance().compareTo(b.instance()));
        return new LogData(groups, counts, bucket);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) scheduler.shutdownNow();
        for (LogTail t : tails.values()) t.close();
        tails.clear();
    }
}
