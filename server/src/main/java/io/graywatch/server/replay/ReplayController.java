package io.graywatch.server.replay;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

@RestController
@RequestMapping("/api/v1/replays")
@Tag(name = "replays", description = "Replay recorded releases through an algorithm and compare with the live verdicts")
class ReplayController {
    private final ReplayService replays;

    ReplayController(ReplayService replays) {
        this.replays = replays;
    }

    /**
     * @param releaseIds the releases to replay; or
     * @param app        all releases of this app its guard judged
     * @param algorithm  graywatch (the live guards' judge, the default), kayenta or threshold
     */
    record ReplayRequest(List<Long> releaseIds, String app, String algorithm) {
    }

    /** A replay with its releases, live verdict beside replayed verdict. */
    record ReplayReport(@JsonUnwrapped Replay replay, List<ReplayedRelease> releases) {
    }

    @PostMapping
    @Operation(summary = "Replay recorded releases (by releaseIds or app) with an algorithm; runs in the background, poll the replay until it is DONE")
    ResponseEntity<Replay> start(@RequestBody ReplayRequest request) {
        Replay replay = replays.start(request.releaseIds(), request.app(), request.algorithm());
        return ResponseEntity.accepted().location(URI.create("/api/v1/replays/" + replay.id())).body(replay);
    }

    @GetMapping
    @Operation(summary = "Replays, newest first")
    List<Replay> list(@RequestParam(defaultValue = "100") int limit) {
        return replays.list(limit);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One replay with each release's live and replayed verdicts")
    ReplayReport get(@PathVariable long id) {
        return new ReplayReport(replays.get(id), replays.releases(id));
    }
}
