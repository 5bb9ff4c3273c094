package io.graywatch.core.logs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Puts log events into groups: an event with a stack trace by its {@link ExceptionFingerprint},
 * any other by its mined {@link TemplateMiner template}; and counts each group per time bucket
 * until the counts are {@link #drain() drained} (what an agent ships each interval).
 *
 * <p>A template may gain wildcards as more messages arrive, and its group id (a hash of the
 * template) changes with it; {@link #group(int)} always answers with the current template, which
 * is why callers that need final groups keep the handle that {@link #add} returns.
 */
public final class LogGrouper {

    /**
     * @param packages        which frames are the application's
     * @param maxFrames       application frames kept per throwable in a fingerprint
     * @param depth           see {@link TemplateMiner}
     * @param similarity      see {@link TemplateMiner}
     * @param maxChildren     see {@link TemplateMiner}
     * @param bucketSeconds   width of a count bucket
     * @param samplesPerGroup full examples kept per group and window
     * @param maxSampleChars  a longer example is cut here
     */
    public record Config(AppPackages packages, int maxFrames, int depth, double similarity, int maxChildren, long bucketSeconds,
                         int samplesPerGroup, int maxSampleChars) {
        public Config {
            if (packages == null) packages = AppPackages.notLibraries();
            if (maxFrames < 1) throw new IllegalArgumentException("maxFrames must be at least 1");
            if (bucketSeconds < 1) throw new IllegalArgumentException("bucketSeconds must be at least 1");
            if (samplesPerGroup < 0 || maxSampleChars < 100) throw new IllegalArgumentException("samplesPerGroup >= 0 and maxSampleChars >= 100");
        }

        public static Config defaults() {
            return new Config(AppPackages.notLibraries(), 3, 4, 0.5, 100, 10, 3, 32_000);
        }

        public Config withPackages(AppPackages v) {
            return new Config(v, maxFrames, depth, similarity, maxChildren, bucketSeconds, samplesPerGroup, maxSampleChars);
        }

        public Config withBucketSeconds(long v) {
            return new Config(packages, maxFrames, depth, similarity, maxChildren, v, samplesPerGroup, maxSampleChars);
        }

        public Config withSimilarity(double v) {
            return new Config(packages, maxFrames, depth, v, maxChildren, bucketSeconds, samplesPerGroup, maxSampleChars);
        }
    }

    /**
     * What one group did in a window.
     *
     * @param counts    events per bucket start (Unix seconds)
     * @param firstSeen Unix seconds of the first event in the window
     * @param lastSeen  Unix seconds of the last event in the window
     * @param samples   the first few events of the window, in full
     */
    public record Activity(LogGroup group, SortedMap<Long, Long> counts, long firstSeen, long lastSeen, List<String> samples) {
        public Activity {
            counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
            samples = List.copyOf(samples);
        }

        public long total() {
            long t = 0;
            for (long c : counts.values()) t += c;
            return t;
        }
    }

    private final Config config;
    private final TemplateMiner miner;
    private final Map<String, Integer> byFingerprint = new HashMap<>();
    private final List<Integer> byCluster = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();

    public LogGrouper(Config config) {
        this.config = config;
        this.miner = new TemplateMiner(config.depth(), config.similarity(), config.maxChildren());
    }

    public Config config() {
        return config;
    }

    /**
     * Groups an event and counts it in the bucket of its time, or of {@code fallbackEpochSecond}
     * when its header has no date (the time it was read). Returns the group's handle.
     */
    public int add(LogEvent e, long fallbackEpochSecond) {
        long t = e.hasTime() ? e.epochSecond() : fallbackEpochSecond;
        int h;
        if (e.hasStack()) {
            ExceptionFingerprint f = ExceptionFingerprint.of(e.stack(), config.packages(), config.maxFrames());
            Integer known = byFingerprint.get(f.id());
            if (known == null) {
                h = groups.size();
                groups.add(new Group(f));
                byFingerprint.put(f.id(), h);
            } else {
                h = known;
            }
        } else {
            int c = miner.add(e.bytes(), e.messageStart(), e.messageEnd() - e.messageStart(), e.charset());
            if (c == byCluster.size()) {
                byCluster.add(groups.size());
                groups.add(new Group(c));
            }
            h = byCluster.get(c);
        }
        groups.get(h).record(t, e, config);
        return h;
    }

    /** The group behind a handle, with its current template and id. */
    public LogGroup group(int handle) {
        return groups.get(handle).view(miner);
    }

    /** How many events the group has had since this grouper started. */
    public long total(int handle) {
        return groups.get(handle).total;
    }

    public int size() {
        return groups.size();
    }

    /** The activity of every group since the last drain (groups that share an id are merged), then starts a new window. */
    public List<Activity> drain() {
        Map<String, Activity> out = new LinkedHashMap<>();
        for (Group g : groups) {
            if (g.windowCounts.isEmpty()) continue;
            LogGroup view = g.view(miner);
            Activity a = g.takeWindow(view);
            out.merge(view.id(), a, LogGrouper::merge);
        }
        return new ArrayList<>(out.values());
    }

    private static Activity merge(Activity a, Activity b) {
        TreeMap<Long, Long> counts = new TreeMap<>(a.counts());
        b.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
        List<String> samples = new ArrayList<>(a.samples());
        for (String s : b.samples()) if (samples.size() < Math.max(a.samples().size(), b.samples().size())) samples.add(s);
        return new Activity(a.group(), counts, Math.min(a.firstSeen(), b.firstSeen()), Math.max(a.lastSeen(), b.lastSeen()), samples);
    }

    private static final class Group {
        final LogGroup.Kind kind;
        final int cluster;
        final ExceptionFingerprint fingerprint;
        LogLevel level;
        String sample;
        long total;

        final TreeMap<Long, long[]> windowCounts = new TreeMap<>();
        final List<String> windowSamples = new ArrayList<>(2);
        long windowFirst = Long.MAX_VALUE, windowLast = Long.MIN_VALUE;
        private long lastBucket = Long.MIN_VALUE;
        private long[] lastCell;

        private int viewRevision = -1;
        private LogGroup view;

        Group(ExceptionFingerprint f) {
            kind = LogGroup.Kind.EXCEPTION;
            cluster = -1;
            fingerprint = f;
        }

        Group(int cluster) {
            kind = LogGroup.Kind.TEMPLATE;
            this.cluster = cluster;
            fingerprint = null;
        }

        void record(long t, LogEvent e, Config config) {
            total++;
            LogLevel l = e.level() == null && kind == LogGroup.Kind.EXCEPTION ? LogLevel.ERROR : e.level();
            if (l != null && (level == null || l.atLeast(level)) && l != level) {
                level = l;
                viewRevision = -1;
            }
            long bucket = Math.floorDiv(t, config.bucketSeconds()) * config.bucketSeconds();
            if (bucket != lastBucket || lastCell == null) {
                lastCell = windowCounts.computeIfAbsent(bucket, k -> new long[1]);
                lastBucket = bucket;
            }
            lastCell[0]++;
            if (t < windowFirst) windowFirst = t;
            if (t > windowLast) windowLast = t;
            if (windowSamples.size() < config.samplesPerGroup() || sample == null) {
                String s = e.text().length() > config.maxSampleChars() ? e.text().substring(0, config.maxSampleChars()) : e.text();
                if (windowSamples.size() < config.samplesPerGroup()) windowSamples.add(s);
                if (sample == null) sample = s;
            }
        }

        LogGroup view(TemplateMiner miner) {
            int revision = kind == LogGroup.Kind.TEMPLATE ? miner.revision(cluster) : 0;
            if (view == null || revision != viewRevision) {
                String lvl = level == null ? null : level.name();
                if (kind == LogGroup.Kind.EXCEPTION) {
                    view = new LogGroup(fingerprint.id(), kind, lvl, fingerprint.type(), fingerprint.rootCauseType(), fingerprint.template(), sample);
                } else {
                    String template = miner.template(cluster);
                    view = new LogGroup(ExceptionFingerprint.hash("T|" + template), kind, lvl, null, null, template, sample);
                }
                viewRevision = revision;
            }
            return view;
        }

        Activity takeWindow(LogGroup g) {
            TreeMap<Long, Long> counts = new TreeMap<>();
            windowCounts.forEach((k, v) -> counts.put(k, v[0]));
            Activity a = new Activity(g, counts, windowFirst, windowLast, windowSamples);
            windowCounts.clear();
            windowSamples.clear();
            windowFirst = Long.MAX_VALUE;
            windowLast = Long.MIN_VALUE;
            lastCell = null;
            lastBucket = Long.MIN_VALUE;
            return a;
        }
    }
}
