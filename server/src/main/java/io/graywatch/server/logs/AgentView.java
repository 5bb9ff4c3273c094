package io.graywatch.server.logs;

import java.time.Instant;

/**
 * An instance's agent as its latest shipment described it.
 *
 * @param lastSeen       when the server last took a shipment from it
 * @param lastShipmentAt when the agent cut that shipment (its own clock)
 * @param bucketSeconds  the length of the buckets it counts events in
 * @param shipments      shipments taken since the agent started
 * @param files          log files it follows now
 * @param read           what it read since it started
 * @param dropped        what it had to throw away since it started (a full disk buffer while the server was away, shipments the server refused)
 */
public record AgentView(String instance, String agentVersion, Instant agentStartedAt, Instant lastSeen, Instant lastShipmentAt,
                        String lastShipmentId, long lastSequence, int bucketSeconds, long shipments, int files, Read read, Dropped dropped) {

    /** Lines read, events grouped, events below the level, lines cut at the limit, binary lines, bytes. */
    public record Read(long lines, long events, long skippedEvents, long truncatedLines, long binaryLines, long bytes) {
    }

    public record Dropped(long shipments, long events, long bytes) {
    }
}
