package io.graywatch.server.release;

import io.graywatch.core.release.Instance;
import io.graywatch.core.release.ReleaseExecutor;
import io.graywatch.server.ApiException;
import io.graywatch.server.app.App;
import io.graywatch.server.app.AppService;
import org.springframework.stereotype.Component;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a plan request into concrete batches against the fleet as the executor sees it now.
 *
 * <p>Named instances are taken as given. Count and share batches take the remaining instances in
 * the executor's order. A share is where the rollout stands after the batch, as a percentage of
 * the whole fleet (as in Argo Rollouts' {@code setWeight}): shares 25, 50, 100 of 8 instances give
 * batches of 2, 2 and 4, whatever came before them, and 100 always means "all the rest".
 */
@Component
class ReleasePlanner {
    private final AppService apps;
    private final ReleaseExecutors executors;

    ReleasePlanner(AppService apps, ReleaseExecutors executors) {
        this.apps = apps;
        this.executors = executors;
    }

    PlannedRelease plan(ReleasePlanRequest request) {
        App app = apps.get(request.app());
        ReleaseExecutor executor = executors.forApp(app);
        List<Instance> fleet = executor.instances(app.name());
        if (fleet.isEmpty()) {
            throw ApiException.conflict("release executor '" + executor.name() + "' knows no instances of app '" + app.name() + "'");
        }
        String fromVersion = mostCommonVersion(fleet);
        if (fromVersion.equals(request.version())) {
            throw ApiException.conflict("app '" + app.name() + "' already runs version " + request.version()
                    + " on most of its instances: plan a different version");
        }
        List<PlannedRelease.Batch> batches = resolve(request.batches(), fleet.stream().map(Instance::id).toList());
        return new PlannedRelease(app, executor.name(), fromVersion, request.version(), batches,
                request.observationSeconds() == null ? ReleasePlanRequest.DEFAULT_OBSERVATION_SECONDS : request.observationSeconds(),
                request.autoContinue() == null || request.autoContinue(),
                request.start() == null || request.start());
    }

    /** The version the fleet runs; when a stopped release left it mixed, the one most instances run. */
    private static String mostCommonVersion(List<Instance> fleet) {
        Map<String, Long> counts = fleet.stream().collect(Collectors.groupingBy(Instance::version, Collectors.counting()));
        return counts.entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow().getKey();
    }

    private static List<PlannedRelease.Batch> resolve(List<ReleasePlanRequest.BatchRequest> requested, List<String> fleet) {
        Set<String> known = new HashSet<>(fleet);
        Map<String, Integer> named = new HashMap<>();
        for (int i = 0; i < requested.size(); i++) {
            ReleasePlanRequest.BatchRequest b = requested.get(i);
            String field = "batches[" + i + "]";
            int given = (b.count() != null ? 1 : 0) + (b.share() != null ? 1 : 0) + (b.instances() != null ? 1 : 0);
            if (given != 1) throw ApiException.badRequest(field + ": give exactly one of count, share or instances");
            if (Boolean.TRUE.equals(b.preRelease()) && i > 0) {
                throw ApiException.badRequest(field + ".preRelease: only the first batch may be a pre-release batch");
            }
            if (b.instances() == null) continue;
            for (String id : b.instances()) {
                if (!known.contains(id)) {
                    throw ApiException.badRequest(field + ".instances: unknown instance '" + id + "'; the app's instances are " + fleet);
                }
                Integer other = named.putIfAbsent(id, i);
                if (other != null) {
                    throw ApiException.badRequest(field + ".instances: instance '" + id + "' is already in batches[" + other + "]");
                }
            }
        }

        Deque<String> pool = new ArrayDeque<>(fleet.stream().filter(id -> !named.containsKey(id)).toList());
        List<Integer> sizes = sizes(requested, fleet.size());
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        if (total > fleet.size()) {
            throw ApiException.badRequest("batches: their sizes " + sizes + " add up to " + total
                    + " instances but the app has " + fleet.size()
                    + "; counts and named instances add up, and a share is the part of the fleet on the new version after its batch");
        }
        List<PlannedRelease.Batch> out = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            ReleasePlanRequest.BatchRequest b = requested.get(i);
            List<String> instances = b.instances() != null ? b.instances() : take(pool, sizes.get(i));
            out.add(new PlannedRelease.Batch(instances, Boolean.TRUE.equals(b.preRelease())));
        }
        return out;
    }

    /** How many instances each batch gets. */
    private static List<Integer> sizes(List<ReleasePlanRequest.BatchRequest> requested, int fleet) {
        List<Integer> sizes = new ArrayList<>();
        int reached = 0;
        for (int i = 0; i < requested.size(); i++) {
            ReleasePlanRequest.BatchRequest b = requested.get(i);
            int size;
            if (b.instances() != null) {
                size = b.instances().size();
            } else if (b.count() != null) {
                size = b.count();
            } else {
                int target = (int) Math.round(b.share() * fleet / 100.0);
                size = target - reached;
                if (size < 1) {
                    throw ApiException.badRequest("batches[" + i + "].share: " + fmt(b.share()) + "% of the " + fleet + " instances is "
                            + target + ", which the earlier batches already reach (" + reached
                            + "); a share is the part of the fleet on the new version after the batch: give a larger share or a count");
                }
            }
            reached += size;
            sizes.add(size);
        }
        return sizes;
    }

    private static String fmt(double share) {
        return share == Math.rint(share) ? String.valueOf((long) share) : String.valueOf(share);
    }

    private static List<String> take(Deque<String> pool, int n) {
        return Stream.generate(pool::poll).limit(n).toList();
    }
}
