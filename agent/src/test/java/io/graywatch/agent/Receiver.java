package io.graywatch.agent;

import com.sun.net.httpserver.HttpServer;
import io.graywatch.agent.ship.Shipment;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny real server on 127.0.0.1 that takes shipments as the Graywatch server will, and can be stopped and started again on its port. */
final class Receiver implements AutoCloseable {
    final String token;
    final List<Shipment> shipments = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int port;

    Receiver(String token) throws IOException {
        this.token = token;
        start();
    }

    synchronized void start() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                break;
            } catch (BindException e) {
                if (attempt > 50) throw e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    throw new IOException(ie);
                }
            }
        }
        server.createContext(Shipment.PATH, ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int status;
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
            } else {
                shipments.add(Shipment.fromJson(body));
                status = 204;
            }
            byte[] answer = status == 401 ? "{\"message\":\"unknown agent token\"}".getBytes() : new byte[0];
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    synchronized void stop() {
        server.stop(0);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    long events() {
        return shipments.stream().mapToLong(Shipment::events).sum();
    }

    @Override
    public void close() {
        stop();
    }
}
