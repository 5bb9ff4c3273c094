package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Samples finer than a round, averaged to the round before the stages see them (see
 * {@link io.graywatch.core.guard.GuardConfig#gridSeconds}): the stages count samples, and are set for one a round.
 * Prometheus's usual 15 s scrapes judged a round a minute would otherwise make a deploy spike that fades by a fifth a
 * minute, 5% a scrape, look like a step, and buy false alarms rather than speed. A mean is no less than its samples
 * say, and never more: nothing is filled in.
 *
 * <p>With a grid of g seconds, a cell is (T − g, T] with T a multiple of g, its mean stamped at T, as a scrape at t
 * stands for the step before it; only cells that have ended by the round are kept. A count per scrape (a per-step
 * unit) is averaged and scaled to a count per cell, a process start time keeps its last value, every other value is
 * averaged over the samples present. In the cell in which a released instance switched version only its samples
 * after the switch are kept: the old version's last seconds would otherwise count as the new one's.
 */
public final class RoundGrid {
    private RoundGrid() {
    }

    /** The round as the stages see it: itself when its samples are a round apart or coarser. */
    public static GuardInput of(GuardInput in) {
        long step = in.stepSeconds(), grid = in.config().gridSeconds(step);
        if (grid == step) return in;
        Map<String, Long> switched = new HashMap<>();
        for (Batch b : in.release().startedBy(in.now())) for (String id : b.instances()) switched.putIfAbsent(id, b.at());
        long lastEnd = Math.floorDiv(in.now(), grid) * grid;
        Observations.Builder out = Observations.builder();
        for (String instance : in.observations().instances()) {
            long switchAt = switched.getOrDefault(instance, Long.MAX_VALUE);
            in.observations().ofInstance(instance).forEach((metric, s) -> {
                MetricSpec spec = in.metrics().get(metric);
                Kind kind = Fleet.isStartTime(metric) ? Kind.LAST : spec != null && spec.countsPerStep() ? Kind.PER_STEP : Kind.MEAN;
                out.put(instance, metric, toGrid(s, grid, switchAt, lastEnd, kind, (double) grid / step));
            });
        }
        return new GuardInput(in.release(), in.now(), grid, in.metrics(), in.instances(), out.build(), in.logs(), in.config(),
                in.servingSince());
    }

    private enum Kind { MEAN, PER_STEP, LAST }

    /** s as the means of its finite samples over cells of {@code grid} seconds, stamped at each cell's end, a cell with only missing samples missing. */
    public static Series cellMeans(Series s, long grid) {
        return toGrid(s, grid, Long.MAX_VALUE, Long.MAX_VALUE, Kind.MEAN, 1);
    }

    private static Series toGrid(Series s, long grid, long switchAt, long lastEnd, Kind kind, double scrapesPerCell) {
        long[] times = new long[s.size()];
        double[] values = new double[s.size()];
        int n = 0;
        long end = Long.MIN_VALUE;
        double sum = 0, last = Double.NaN;
        int count = 0;
        boolean any = false;
        for (int i = 0; i < s.size(); i++) {
            long t = s.time(i);
            long cellEnd = Math.floorDiv(t + grid - 1, grid) * grid;
            if (cellEnd > lastEnd) break;
            // the switch cell's old-version seconds: neither the old version's last cell (which ended) nor the new one's
            if (t < switchAt && cellEnd >= switchAt) continue;
            if (cellEnd != end) {
                if (any) n = emit(times, values, n, end, sum, count, last, kind, scrapesPerCell);
                end = cellEnd;
                sum = 0;
                count = 0;
                last = Double.NaN;
                any = true;
            }
            double v = s.value(i);
            if (Double.isFinite(v)) {
                sum += v;
                count++;
                last = v;
            }
        }
        if (any) n = emit(times, values, n, end, sum, count, last, kind, scrapesPerCell);
        return Series.of(Arrays.copyOf(times, n), Arrays.copyOf(values, n));
    }

    private static int emit(long[] times, double[] values, int n, long end, double sum, int count, double last, Kind kind,
                            double scrapesPerCell) {
        times[n] = end;
        // a cell whose scrapes all came back empty stays missing: the scrapes said so
        values[n] = count == 0 ? Double.NaN : switch (kind) {
            case MEAN -> sum / count;
            case PER_STEP -> sum / count * scrapesPerCell;
            case LAST -> last;
        };
        return n + 1;
    }
}
