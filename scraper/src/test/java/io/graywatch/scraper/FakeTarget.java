package io.graywatch.scraper;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/** A metrics page on 127.0.0.1 whose content and status a test sets. */
final class FakeTarget implements AutoCloseable {
    private final HttpServer server;
    volatile String page = "";
    volatile int status = 200;
    /** When set, a request is answered only once it opens: a scrape in flight. */
    volatile CountDownLatch hold;
    /** Opens when a request has come in: set a fresh one before the request a test waits for. */
    volatile CountDownLatch asked = new CountDownLatch(1);

    FakeTarget() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/metrics", ex -> {
            asked.countDown();
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
