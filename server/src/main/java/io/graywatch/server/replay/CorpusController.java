package io.graywatch.server.replay;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

@RestController
@Tag(name = "corpus", description = "Recorded releases as a replay corpus (the corpus FORMAT.md), with the live verdicts in live-verdicts.csv")
class CorpusController {
    static final MediaType ZIP = MediaType.parseMediaType("application/zip");

    private final CorpusExport export;

    CorpusController(CorpusExport export) {
        this.export = export;
    }

    /**
     * Which recorded releases to export: the listed ones, or an app's releases created in [from, to).
     *
     * @param from ISO-8601 instant, e.g. 2030-01-01T00:00:00Z; optional
     * @param to   ISO-8601 instant; optional
     */
    record ExportRequest(List<Long> releaseIds, String app, Instant from, Instant to) {
    }

    @GetMapping("/api/v1/releases/{id}/corpus")
    @Operation(summary = "The release as a one-case replay corpus (zip): its case folder and live-verdicts.csv")
    ResponseEntity<byte[]> release(@PathVariable long id) throws IOException {
        return zip(List.of(export.recorded(id)), "release-" + id + "-corpus.zip");
    }

    @PostMapping("/api/v1/corpus/export")
    @Operation(summary = "Recorded releases as a replay corpus (zip), by releaseIds or by app with optional from and to")
    ResponseEntity<byte[]> export(@RequestBody ExportRequest request) throws IOException {
        return zip(export.select(request.releaseIds(), request.app(), request.from(), request.to()), "graywatch-corpus.zip");
    }

    private ResponseEntity<byte[]> zip(List<RecordedRelease> recorded, String fileName) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        export.zip(recorded, out);
        return ResponseEntity.ok().contentType(ZIP)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(fileName).build().toString())
                .body(out.toByteArray());
    }
}
