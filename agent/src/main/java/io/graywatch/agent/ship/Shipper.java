package io.graywatch.agent.ship;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends the buffered shipments to the server, oldest first. A shipment leaves the buffer only
 * when the server accepted it. While the server is unreachable or failing, attempts back off
 * exponentially (with jitter, so that a fleet of agents does not return all at once).
 */
public final class Shipper {
    public enum Outcome {
        /** Everything buffered was accepted (or there was nothing to send). */
        SENT,
        /** Still backing off after a failure; nothing was tried. */
        WAITING,
        /** The server could not be reached or failed; the shipments stay buffered. */
        UNREACHABLE,
        /** The server refused the token (401/403); the shipments stay buffered until the token is fixed. */
        TOKEN_REJECTED
    }

    /**
     * @param sent     shipments accepted in this call
     * @param rejected shipments the server refused as malformed (400-range other than 401/403/408/429), dropped
     * @param message  what went wrong, for people; null when nothing did
     */
    public record Result(Outcome outcome, int sent, Shipment.Dropped rejected, String message) {
    }

    private final URI endpoint;
    private final String token;
    private final DiskBuffer buffer;
    private final HttpClient client;
    private final Duration timeout, minBackoff, maxBackoff;
    private int failures;
    private long nextAttemptNanos;

    public Shipper(URI server, String token, DiskBuffer buffer, Duration timeout, Duration minBackoff, Duration maxBackoff) {
        this.endpoint = endpoint(server);
        this.token = token;
        this.buffer = buffer;
        this.timeout = timeout;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** {@code http://host:port[/prefix]} + {@link Shipment#PATH}. */
    public static URI endpoint(URI server) {
        String s = server.toString();
        if (!(s.startsWith("http://") || s.startsWith("https://")) || server.getHost() == null)
            throw new IllegalArgumentException("the server must be an http:// or https:// URL, got '" + s + "'");
        return URI.create(s.replaceAll("/+$", "") + Shipment.PATH);
    }

    /** Sends what is buffered, oldest first, until the buffer is empty or an attempt fails. */
    public synchronized Result sendPending() {
        if (failures > 0 && System.nanoTime() < nextAttemptNanos) return new Result(Outcome.WAITING, 0, Shipment.Dropped.NONE, null);
        int sent = 0;
        Shipment.Dropped rejected = Shipment.Dropped.NONE;
        String rejection = null;
        for (DiskBuffer.Entry e : buffer.entries()) {
            byte[] body;
            int status;
            String answer;
            try {
                body = buffer.read(e);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(endpoint).timeout(timeout)
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                status = r.statusCode();
                answer = r.body();
            } catch (IOException ex) {
                return failed(Outcome.UNREACHABLE, sent, rejected, "cannot reach " + endpoint + ": " + describe(ex));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return failed(Outcome.UNREACHABLE, sent, rejected, "interrupted while sending to " + endpoint);
            }
            if (status / 100 == 2) {
                buffer.remove(e);
                sent++;
            } else if (status == 401 || status == 403) {
                return failed(Outcome.TOKEN_REJECTED, sent, rejected, "the server rejected the token (HTTP " + status + ")" + detail(answer)
                        + ": check --token and that it is valid for this app");
            } else if (status / 100 == 4 && status != 408 && status != 429) {
                // the server will never take this one: keeping it would block every later shipment
                buffer.remove(e);
                rejected = rejected.plus(new Shipment.Dropped(1, Shipment.eventsIn(body), e.bytes()));
                rejection = "the server refused a shipment (HTTP " + status + ")" + detail(answer) + "; it was dropped";
            } else {
                return failed(Outcome.UNREACHABLE, sent, rejected, "the server answered HTTP " + status + detail(answer));
            }
        }
        failures = 0;
        return new Result(Outcome.SENT, sent, rejected, rejection);
    }

    private Result failed(Outcome o, int sent, Shipment.Dropped rejected, String message) {
        failures++;
        long base = Math.min(maxBackoff.toNanos(), minBackoff.toNanos() << Math.min(failures - 1, 30));
        long jitter = (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble());
        nextAttemptNanos = System.nanoTime() + base - jitter;
        return new Result(o, sent, rejected, message);
    }

    /** How long until the next attempt is allowed (zero when not backing off). */
    public synchronized Duration backoffLeft() {
        return failures == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, nextAttemptNanos - System.nanoTime()));
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String detail(String body) {
        if (body == null || body.isBlank()) return "";
        String b = body.strip().replaceAll("\\s+", " ");
        return ": " + (b.length() > 200 ? b.substring(0, 200) + "…" : b);
    }
}
