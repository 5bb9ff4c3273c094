package io.graywatch.core.funnel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A short excerpt of a real series from the Numenta Anomaly Benchmark (MIT licence; the licence
 * and source commit are in {@code src/test/resources/nab/}). The core module cannot use the
 * simulator's bundled copy, so it carries its own 600 samples per series.
 */
final class NabExcerpt {
    private final double[] values;

    private NabExcerpt(double[] values) {
        this.values = values;
    }

    static NabExcerpt load(String name) {
        try (InputStream in = NabExcerpt.class.getResourceAsStream("/nab/" + name + ".csv")) {
            if (in == null) throw new IllegalArgumentException("no NAB excerpt " + name);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            double[] v = new double[1024];
            int n = 0;
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                v[n++] = Double.parseDouble(line.substring(line.indexOf(',') + 1));
            }
            return new NabExcerpt(Arrays.copyOf(v, n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int size() { return values.length; }

    /** The sample at index i, wrapping around. */
    double at(long i) {
        return values[(int) Math.floorMod(i, (long) values.length)];
    }
}
