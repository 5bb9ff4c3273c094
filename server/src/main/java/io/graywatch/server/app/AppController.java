package io.graywatch.server.app;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

@RestController
@RequestMapping("/api/v1/apps")
@Tag(name = "apps", description = "Apps and their onboarding: metrics, guard settings, executor")
class AppController {
    private final AppService apps;

    AppController(AppService apps) {
        this.apps = apps;
    }

    @PostMapping
    @Operation(summary = "Onboard an app; metrics and guard settings default to the built-in scraper's set")
    ResponseEntity<App> create(@Valid @RequestBody AppRequest request) {
        App app = apps.create(request);
        return ResponseEntity.created(URI.create("/api/v1/apps/" + app.name())).body(app);
    }

    @GetMapping
    @Operation(summary = "All apps, by name")
    List<App> list() {
        return apps.list();
    }

    @GetMapping("/{name}")
    @Operation(summary = "One app")
    App get(@PathVariable String name) {
        return apps.get(name);
    }
}
