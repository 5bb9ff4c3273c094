package io.graywatch.prometheus;

/** A metric could not be read from Prometheus; the message names the metric, the query and what went wrong. */
public class PrometheusException extends RuntimeException {
    public PrometheusException(String message) {
        super(message);
    }
}
