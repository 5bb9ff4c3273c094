package io.graywatch.agent.ship;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.logs.LogGrouper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an agent sends to the server every interval, as JSON:
 * {@code POST {server}/api/v1/agent/logs} with {@code Authorization: Bearer <token>} and
 * {@code Content-Type: application/json}. The server answers 2xx when it stored the shipment,
 * 401/403 when the token is not valid for the app, 400 when the body is malformed.
 *
 * <pre>{@code
 * {
 *   "format": 1,
 *   "id": "shop-3-1709287200000-42",          // unique: a retried shipment keeps its id, the server stores it once
 *   "app": "shop", "instance": "shop-3",
 *   "agentVersion": "0.1.0", "agentStartedAt": 1709287200000, "sequence": 42,
 *   "createdAt": 1709287620,                    // Unix seconds when the interval was cut
 *   "bucketSeconds": 10,
 *   "groups": [{
 *     "id": "3f9a0c1d2e4b5a69", "kind": "EXCEPTION", "level": "ERROR",
 *     "exceptionType": "java.lang.IllegalStateException", "rootCauseType": "java.lang.ClassNotFoundException",
 *     "template": "java.lang.IllegalStateException @ com.example.shop.PricingService.price | root java.lang.ClassNotFoundException @ …",
 *     "counts": [{"bucketStart": 1709287610, "count": 3}, {"bucketStart": 1709287620, "count": 1}],
 *     "firstSeen": 1709287611, "lastSeen": 1709287620,
 *     "samples": ["2024-03-01 10:06:51.123 ERROR … \njava.lang.IllegalStateException: …\n\tat …"]
 *   }],
 *   "stats": {"lines": 5120, "events": 7, "skippedEvents": 5000, "truncatedLines": 0, "binaryLines": 0, "bytes": 712003, "files": 1},
 *   "dropped": {"shipments": 0, "events": 0, "bytes": 0}
 * }
 * }</pre>
 * Group ids are the same on every host for the same exception fingerprint or template; a
 * template that gained a wildcard gets a new id (match templates by shape, see
 * {@code TemplateMiner.sameShape}). {@code counts} are for this interval only (sum them over
 * shipments); {@code stats} too; {@code dropped} is cumulative since {@code agentStartedAt}
 * (what the agent had to throw away because its disk buffer was full while the server was
 * unreachable). A shipment with no groups is a heartbeat: the instance is alive and its logs are read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Shipment(int format, String id, String app, String instance, String agentVersion, long agentStartedAt, long sequence,
                       long createdAt, long bucketSeconds, List<Group> groups, Stats stats, Dropped dropped) {
    public static final int FORMAT = 1;
    public static final String PATH = "/api/v1/agent/logs";

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Shipment {
        groups = List.copyOf(groups);
    }

    /** One log group's activity in the interval; {@code firstSeen}/{@code lastSeen} in Unix seconds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Group(String id, LogGroup.Kind kind, String level, String exceptionType, String rootCauseType, String template,
                        List<Count> counts, long firstSeen, long lastSeen, List<String> samples) {
        public Group {
            counts = List.copyOf(counts);
            samples = List.copyOf(samples);
        }

        static Group of(LogGrouper.Activity a) {
            LogGroup g = a.group();
            List<Count> counts = new ArrayList<>();
            for (Map.Entry<Long, Long> e : a.counts().entrySet()) counts.add(new Count(e.getKey(), e.getValue()));
            return new Group(g.id(), g.kind(), g.level(), g.exceptionType(), g.rootCauseType(), g.template(), counts, a.firstSeen(), a.lastSeen(),
                    a.samples());
        }

        /** The core's view of this group, with its first sample. */
        public LogGroup toLogGroup() {
            return new LogGroup(id, kind, level, exceptionType, rootCauseType, template, samples.isEmpty() ? null : samples.get(0));
        }

        public long total() {
            long t = 0;
            for (Count c : counts) t += c.count();
            return t;
        }
    }

    public record Count(long bucketStart, long count) {
    }

    /** Counters of the interval: lines read, events grouped, events below the level, cut lines, binary lines, bytes; files followed now. */
    public record Stats(long lines, long events, long skippedEvents, long truncatedLines, long binaryLines, long bytes, int files) {
    }

    /** What the agent had to drop since it started: whole shipments, the events they counted, their size. */
    public record Dropped(long shipments, long events, long bytes) {
        public static final Dropped NONE = new Dropped(0, 0, 0);

        public Dropped plus(Dropped o) {
            return new Dropped(shipments + o.shipments, events + o.events, bytes + o.bytes);
        }
    }

    /** Builds a shipment from a grouper's drained activity. */
    public static Shipment of(String id, String app, String instance, String agentVersion, long agentStartedAt, long sequence, long createdAt,
                              long bucketSeconds, List<LogGrouper.Activity> activity, Stats stats, Dropped dropped) {
        List<Group> groups = new ArrayList<>();
        for (LogGrouper.Activity a : activity) groups.add(Group.of(a));
        return new Shipment(FORMAT, id, app, instance, agentVersion, agentStartedAt, sequence, createdAt, bucketSeconds, groups, stats, dropped);
    }

    /** Events counted in this shipment. */
    public long events() {
        long t = 0;
        for (Group g : groups) t += g.total();
        return t;
    }

    /** Events counted in a buffered shipment's JSON; 0 when it cannot be read (it is being dropped anyway). */
    static long eventsIn(byte[] json) {
        try {
            return fromJson(json).events();
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** The counts as the core reads them. */
    public List<LogCount> logCounts() {
        List<LogCount> out = new ArrayList<>();
        for (Group g : groups) for (Count c : g.counts()) out.add(new LogCount(c.bucketStart(), instance, g.id(), c.count()));
        return out;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a shipment; a malformed body is an {@link IllegalArgumentException} that says what is wrong. */
    public static Shipment fromJson(byte[] json) {
        try {
            Shipment s = JSON.readValue(json, Shipment.class);
            if (s.format != FORMAT) throw new IllegalArgumentException("unsupported shipment format " + s.format + ", expected " + FORMAT);
            if (s.app == null || s.instance == null || s.id == null) throw new IllegalArgumentException("a shipment needs id, app and instance");
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed shipment: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
