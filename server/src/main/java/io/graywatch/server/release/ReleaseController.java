package io.graywatch.server.release;

import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.server.guard.GuardRound;
import io.graywatch.server.guard.LogGroupTrend;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

@RestController
@RequestMapping("/api/v1/releases")
@Tag(name = "releases", description = "Release plans: batches, guard rounds, pause, resume, roll back, close")
class ReleaseController {
    private final ReleaseService releases;

    ReleaseController(ReleaseService releases) {
        this.releases = releases;
    }

    /** Optional body of the commands: why a person did it, kept in the release's reason. */
    record CommandRequest(@Size(max = 1000, message = "must be at most 1000 characters") String reason) {
        static String of(CommandRequest r) {
            return r == null ? null : r.reason();
        }
    }

    /** One metric on one instance; a null value is a missing sample. */
    record SeriesView(String instance, String metric, List<Long> times, List<Double> values) {
    }

    @PostMapping
    @Operation(summary = "Plan a release; it starts at once unless start is false")
    ResponseEntity<Release> plan(@Valid @RequestBody ReleasePlanRequest request) {
        Release release = releases.plan(request);
        return ResponseEntity.created(URI.create("/api/v1/releases/" + release.id())).body(release);
    }

    @GetMapping
    @Operation(summary = "Releases, newest first, optionally of one app and in one state")
    List<Release> list(@RequestParam(required = false) String app, @RequestParam(required = false) ReleaseState state,
                       @RequestParam(defaultValue = "100") int limit) {
        return releases.list(app, state, limit);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One release with its batches")
    Release get(@PathVariable long id) {
        return releases.get(id);
    }

    @GetMapping("/{id}/rounds")
    @Operation(summary = "Every guard round of the release, oldest first, with its findings")
    List<GuardRound> rounds(@PathVariable long id) {
        return releases.rounds(id);
    }

    @GetMapping("/{id}/actions")
    @Operation(summary = "Every call made to the release executor for this release")
    List<ReleaseAction> actions(@PathVariable long id) {
        return releases.actions(id);
    }

    @GetMapping("/{id}/samples")
    @Operation(summary = "The metric samples the guard read, for charts; all metrics unless one is named")
    List<SeriesView> samples(@PathVariable long id, @RequestParam(required = false) String metric) {
        Observations observations = releases.samples(id, metric);
        List<SeriesView> out = new ArrayList<>();
        for (String instance : observations.instances()) {
            observations.ofInstance(instance).forEach((m, s) -> out.add(view(instance, m, s)));
        }
        return out;
    }

    private static SeriesView view(String instance, String metric, Series s) {
        List<Long> times = new ArrayList<>(s.size());
        List<Double> values = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            times.add(s.time(i));
            values.add(Double.isFinite(s.value(i)) ? s.value(i) : null);
        }
        return new SeriesView(instance, metric, times, values);
    }

    @GetMapping("/{id}/logs")
    @Operation(summary = "The log groups the guard read for the release: exception fingerprints and error templates, each with one full "
            + "sample (the stack trace of an exception) and its counts per bucket on the release group and on the reference group")
    List<LogGroupTrend> logs(@PathVariable long id) {
        return releases.logs(id);
    }

    @PostMapping("/{id}/start")
    @Operation(summary = "Start a PENDING release")
    Release start(@PathVariable long id, @Valid @RequestBody(required = false) CommandRequest body) {
        return releases.start(id, CommandRequest.of(body));
    }

    @PostMapping("/{id}/pause")
    @Operation(summary = "Pause a RUNNING release")
    Release pause(@PathVariable long id, @Valid @RequestBody(required = false) CommandRequest body) {
        return releases.pause(id, CommandRequest.of(body));
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Resume a PAUSED release: re-observe the current batch, or deploy the next one if it had passed")
    Release resume(@PathVariable long id, @Valid @RequestBody(required = false) CommandRequest body) {
        return releases.resume(id, CommandRequest.of(body));
    }

    @PostMapping("/{id}/rollback")
    @Operation(summary = "Put every instance of the app back on the version it ran before the release")
    Release rollBack(@PathVariable long id, @Valid @RequestBody(required = false) CommandRequest body) {
        return releases.rollBack(id, CommandRequest.of(body));
    }

    @PostMapping("/{id}/close")
    @Operation(summary = "Stop the release where it is, for good; a pre-release batch goes back to user traffic")
    Release close(@PathVariable long id, @Valid @RequestBody(required = false) CommandRequest body) {
        return releases.close(id, CommandRequest.of(body));
    }
}
