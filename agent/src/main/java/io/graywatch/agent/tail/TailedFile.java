package io.graywatch.agent.tail;

import io.graywatch.core.logs.LogParser;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One file followed by identity (device and inode), not by name: a rename keeps it, and the open
 * channel still reads what was written before the rename. A file that shrinks, or whose first bytes
 * change, was truncated in place (copy-truncate rotation) and is read again from the start.
 */
final class TailedFile implements Closeable {
    /** This many leading bytes identify the content; a different head means the file was rewritten. */
    private static final int HEAD = 256;

    final Object key;
    Path path;
    final LogParser parser;
    private final FileChannel channel;
    private long position;
    private byte[] head = new byte[0];
    long lastDataNanos;
    /** When the file left the globs (renamed away or deleted), or 0 while it matches. */
    long goneSinceNanos;
    int truncations;

    TailedFile(Object key, Path path, LogParser parser, boolean atEnd) throws IOException {
        this.key = key;
        this.path = path;
        this.parser = parser;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        if (atEnd) position = channel.size();
        head = readHead(Math.min(HEAD, channel.size()));
        lastDataNanos = System.nanoTime();
    }

    /** Feeds what was appended since the last call to the parser; returns the number of bytes read. */
    long readNew(ByteBuffer buf) throws IOException {
        long size = channel.size();
        if (size < position || !sameHead(size)) {
            // the lines that were only partly written when the file was cut are kept as they are
            parser.finish();
            position = 0;
            head = new byte[0];
            truncations++;
        }
        long total = 0;
        while (true) {
            buf.clear();
            int n = channel.read(buf, position);
            if (n <= 0) break;
            parser.feed(buf.array(), buf.arrayOffset(), n);
            position += n;
            total += n;
        }
        if (head.length < HEAD && position > head.length) head = readHead(Math.min(HEAD, position));
        if (total > 0) lastDataNanos = System.nanoTime();
        return total;
    }

    private boolean sameHead(long size) throws IOException {
        if (head.length == 0 || size < head.length) return true;
        return Arrays.equals(head, readHead(head.length));
    }

    private byte[] readHead(long n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) n);
        while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
            // keep reading until the head is complete or the file ends
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
