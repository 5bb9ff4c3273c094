package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A one-replica rollout replaces the pod rather than upgrading it in place: {@code shop-v1-a} serves until the
 * switch and stops, {@code shop-v2-b} serves from it on, as a Kubernetes Deployment of one replica rolls (and as
 * corpora converted from such clusters read). The new pod has no history under its own name and the old one no
 * samples after the switch, so there is neither a past nor a reference group to compare with. Once the old pod
 * has stopped, the first new pod is judged as its successor: its series, and its log lines, continue the old
 * pod's up to the switch, which is the before/after comparison an upgrade in place gets. While the old pod still
 * serves it is the reference, and nothing is joined.
 * <p>
 * Only one old pod is joined: among several, a new pod's predecessor could be any of them, and another pod's
 * past (its memory's envelope, its level) is no baseline for a leak or a step. A larger fleet keeps comparing
 * its new pods with the old ones still serving.
 */
public final class Succession {
    /** An old instance with no sample in this many of the latest steps has stopped serving. */
    static final int GONE_STEPS = 2;

    private Succession() {
    }

    /** The round with the new pod joined to the old one it replaced, once that one has stopped; else the round itself. */
    public static GuardInput of(GuardInput in) {
        long now = in.now(), recent = now - GONE_STEPS * in.stepSeconds();
        Set<String> released = in.releaseGroup();
        List<String> gone = new ArrayList<>();
        Long firstBatch = in.release().batches().isEmpty() ? null : in.release().batches().get(0).at();
        if (firstBatch == null || firstBatch > now) return in;
        for (String id : in.referenceGroup()) {
            long[] span = span(in.observations(), id);
            // still serving: the old version is there to compare with
            if (span[1] > recent) return in;
            // a pod that served before the release has a past to hand on; one that never reported has none
            if (span[0] <= firstBatch) gone.add(id);
        }
        // one old pod and the first new one to start: who took over from whom is then beyond doubt. Among several, a
        // new pod's predecessor could be any old one, and another pod's past is no baseline for a leak or a step
        if (gone.size() != 1) return in;
        String newPod = null;
        long at = Long.MAX_VALUE;
        boolean tie = false;
        for (String id : released) {
            long switched = in.release().switchedAt(id, now);
            // fresh: no sample of its own at or before its switch
            if (span(in.observations(), id)[0] <= switched || switched > at) continue;
            // two starting at once: which of them took over is a guess
            tie = switched == at;
            newPod = id;
            at = switched;
        }
        if (newPod == null || tie) return in;
        String oldPod = gone.get(0);

        Observations.Builder obs = Observations.builder();
        for (String id : in.observations().instances()) {
            if (id.equals(oldPod)) continue;
            Map<String, Series> own = in.observations().ofInstance(id);
            if (!id.equals(newPod)) {
                own.forEach((metric, s) -> obs.put(id, metric, s));
                continue;
            }
            Set<String> metrics = new TreeSet<>(own.keySet());
            metrics.addAll(in.observations().ofInstance(oldPod).keySet());
            for (String metric : metrics)
                obs.put(id, metric, joined(in.observations().series(oldPod, metric).between(Long.MIN_VALUE, at + 1),
                        in.observations().series(id, metric).between(at + 1, Long.MAX_VALUE)));
        }
        LogData logs = in.logs();
        if (logs != null) {
            List<LogCount> counts = new ArrayList<>(logs.counts().size());
            for (LogCount c : logs.counts()) {
                if (!c.instance().equals(oldPod)) counts.add(c);
                // the old pod's lines up to the switch, as its samples; what it logged beside the new pod after it is no one's past
                else if (c.bucketStart() + logs.bucketSeconds() - 1 <= at) counts.add(new LogCount(c.bucketStart(), newPod, c.groupId(), c.count()));
            }
            logs = new LogData(logs.groups(), counts, logs.bucketSeconds());
        }
        Set<String> instances = new TreeSet<>(in.instances());
        instances.remove(oldPod);
        return new GuardInput(in.release(), now, in.stepSeconds(), in.metrics(), instances, obs.build(), logs, in.config(), in.servingSince());
    }

    /** The times of an instance's first and last finite samples over all its metrics; MAX_VALUE and MIN_VALUE when it has none. */
    private static long[] span(Observations observations, String id) {
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (Series s : observations.ofInstance(id).values()) {
            for (int i = 0; i < s.size(); i++) if (Double.isFinite(s.value(i))) {
                first = Math.min(first, s.time(i));
                break;
            }
            for (int i = s.size() - 1; i >= 0; i--) if (Double.isFinite(s.value(i))) {
                last = Math.max(last, s.time(i));
                break;
            }
        }
        return new long[]{first, last};
    }

    /** The old pod's samples followed by the new pod's, which all come after them. */
    private static Series joined(Series before, Series after) {
        if (before.isEmpty()) return after;
        if (after.isEmpty()) return before;
        long[] t = new long[before.size() + after.size()];
        double[] v = new double[t.length];
        for (int i = 0; i < before.size(); i++) {
            t[i] = before.time(i);
            v[i] = before.value(i);
        }
        for (int i = 0; i < after.size(); i++) {
            t[before.size() + i] = after.time(i);
            v[before.size() + i] = after.value(i);
        }
        return Series.of(t, v);
    }
}
