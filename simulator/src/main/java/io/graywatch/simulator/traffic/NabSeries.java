package io.graywatch.simulator.traffic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A real monitoring series from the Numenta Anomaly Benchmark (MIT licence), bundled as a
 * resource so that simulated fleets and generated corpora carry real noise, daily shapes and
 * bursts rather than textbook Gaussian noise.
 */
public final class NabSeries {
    /** The bundled series, by resource path under {@code nab/data/}. */
    public static final List<String> BUNDLED = List.of(
            "realAWSCloudwatch/elb_request_count_8c0756.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_53ea38.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_77c1ca.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_ac20cd.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_c6585a.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_fe7f93.csv",
            "realAWSCloudwatch/ec2_disk_write_bytes_1ef3de.csv",
            "realAWSCloudwatch/ec2_disk_write_bytes_c0d644.csv",
            "realAWSCloudwatch/ec2_network_in_257a54.csv",
            "realAWSCloudwatch/ec2_network_in_5abac7.csv",
            "realAWSCloudwatch/grok_asg_anomaly.csv",
            "realAWSCloudwatch/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv",
            "realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv",
            "realAWSCloudwatch/rds_cpu_utilization_e47b3b.csv",
            "realKnownCause/cpu_utilization_asg_misconfiguration.csv",
            "realKnownCause/ec2_request_latency_system_failure.csv");

    private final String name;
    private final double[] values;
    private final double mean;

    private NabSeries(String name, double[] values) {
        this.name = name;
        this.values = values;
        double s = 0;
        for (double v : values) s += v;
        this.mean = values.length == 0 ? 0 : s / values.length;
    }

    /** Loads a bundled series, e.g. {@code realAWSCloudwatch/elb_request_count_8c0756.csv}. */
    public static NabSeries load(String name) {
        String path = "/nab/data/" + name;
        try (InputStream in = NabSeries.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no bundled NAB series " + name + "; bundled: " + BUNDLED);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            double[] v = new double[4096];
            int n = 0;
            String line = r.readLine(); // header
            while ((line = r.readLine()) != null) {
                int comma = line.lastIndexOf(',');
                if (comma < 0) continue;
                if (n == v.length) v = Arrays.copyOf(v, n * 2);
                v[n++] = Double.parseDouble(line.substring(comma + 1).trim());
            }
            return new NabSeries(name, Arrays.copyOf(v, n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() { return name; }

    public int length() { return values.length; }

    /** The i-th value, wrapping around so that any index is valid. */
    public double at(long i) {
        return values[(int) Math.floorMod(i, (long) values.length)];
    }

    public double mean() { return mean; }

    /** The series divided by its mean: a shape around 1.0 to scale a fleet's traffic by. */
    public double normalizedAt(long i) {
        return mean == 0 ? 1.0 : at(i) / mean;
    }
}
