package io.graywatch.agent.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Shipments waiting for the server, one file each in a directory, oldest first, at most
 * {@code maxBytes} in all. Every shipment is written here before it is sent, so neither an
 * unreachable server nor a restart of the agent loses it. When a new shipment does not fit, the
 * oldest ones are dropped, and what was dropped is counted.
 */
public final class DiskBuffer implements AutoCloseable {
    /** A buffered shipment. */
    public record Entry(Path file, long sequence, long bytes) {
    }

    private final Path dir;
    private final long maxBytes;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private long bytes, next;

    /** Opens (and creates) the buffer; shipments left by an earlier run are kept and sent first. */
    public DiskBuffer(Path dir, long maxBytes) throws IOException {
        if (maxBytes < 1024) throw new IllegalArgumentException("the buffer needs at least 1024 bytes, got " + maxBytes);
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
        this.lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        this.lock = l;
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("the buffer directory " + dir + " is used by another agent: give each agent its own --buffer-dir");
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                try {
                    long seq = Long.parseLong(name.substring(0, name.length() - 5));
                    long size = Files.size(p);
                    entries.put(seq, new Entry(p, seq, size));
                    bytes += size;
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        next = entries.isEmpty() ? 1 : entries.lastKey() + 1;
    }

    /**
     * Adds a shipment (written atomically), then drops the oldest shipments until everything fits.
     * Returns what had to be dropped now ({@link Shipment.Dropped#NONE} when everything fits).
     */
    public synchronized Shipment.Dropped add(byte[] json) throws IOException {
        long seq = next++;
        Path file = dir.resolve(String.format("%020d.json", seq));
        Path tmp = dir.resolve(String.format("%020d.tmp", seq));
        Files.write(tmp, json);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        entries.put(seq, new Entry(file, seq, json.length));
        bytes += json.length;
        return dropOldestUntil(maxBytes);
    }

    /**
     * Drops the oldest shipments until {@code incoming} more bytes fit. The agent calls this before it
     * cuts a shipment, so the shipment it is about to buffer already counts what was dropped to make
     * room for it; otherwise the server would hear of that drop only with the next shipment.
     */
    public synchronized Shipment.Dropped makeRoom(long incoming) {
        return dropOldestUntil(maxBytes - incoming);
    }

    private Shipment.Dropped dropOldestUntil(long limit) {
        Shipment.Dropped dropped = Shipment.Dropped.NONE;
        while (bytes > limit && !entries.isEmpty()) {
            Entry oldest = entries.firstEntry().getValue();
            long events;
            try {
                events = Shipment.eventsIn(Files.readAllBytes(oldest.file()));
            } catch (IOException e) {
                events = 0;
            }
            remove(oldest);
            dropped = dropped.plus(new Shipment.Dropped(1, events, oldest.bytes()));
        }
        return dropped;
    }

    /** The buffered shipments, oldest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    public synchronized byte[] read(Entry e) throws IOException {
        return Files.readAllBytes(e.file());
    }

    /** Forgets a shipment (sent, or dropped); does nothing if it is already gone. */
    public synchronized void remove(Entry e) {
        if (entries.remove(e.sequence()) == null) return;
        bytes -= e.bytes();
        try {
            Files.deleteIfExists(e.file());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot delete " + e.file(), ex);
        }
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return entries.size();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
