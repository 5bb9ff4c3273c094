package io.graywatch.core.release;

/**
 * One running copy of an app.
 *
 * @param address where its metrics can be scraped ({@code host:port}), or null when another system collects them
 */
public record Instance(String id, String version, String address) {
}
