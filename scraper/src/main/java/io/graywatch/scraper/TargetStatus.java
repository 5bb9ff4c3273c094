package io.graywatch.scraper;

/**
 * How scraping one instance goes.
 *
 * @param lastSuccessMillis when it last answered with a page that parsed, 0 if never
 * @param lastError         why the last scrape failed, or null when it succeeded
 */
public record TargetStatus(String app, String instance, String address, long lastSuccessMillis, String lastError) {
    public boolean healthy() {
        return lastError == null && lastSuccessMillis > 0;
    }
}
