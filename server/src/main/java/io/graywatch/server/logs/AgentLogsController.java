package io.graywatch.server.logs;

import io.graywatch.agent.ship.Shipment;
import io.graywatch.server.ApiException;
import io.graywatch.server.app.AppService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Where agents ship their logs, and what the server knows of them. The ingest answers as the
 * agent expects: 2xx when the shipment is stored (or was already), 401/403 when the token is not
 * accepted (the agent stops and says so), 400/404 for a shipment it will never take (the agent
 * drops it and counts it as dropped); errors carry {@code {"message": "..."}}.
 */
@RestController
@Tag(name = "agents", description = "Log shipments from the Graywatch agent, and the agents of each app")
@SecurityScheme(name = "agentToken", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The token the server is configured with (graywatch.agent.token), given to each agent with --token")
class AgentLogsController {
    private final LogIngest ingest;
    private final LogStore store;
    private final AppService apps;
    private final byte[] token;

    AgentLogsController(LogIngest ingest, LogStore store, AppService apps, @Value("${graywatch.agent.token:}") String token) {
        this.ingest = ingest;
        this.store = store;
        this.apps = apps;
        this.token = token.isBlank() ? null : ("Bearer " + token.strip()).getBytes(StandardCharsets.UTF_8);
    }

    /** What the server did with a shipment. */
    record Taken(String id, boolean duplicate, int groups, long events) {
    }

    /** Why a shipment was refused. */
    record Refusal(String message) {
    }

    @PostMapping(path = Shipment.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Take an agent's shipment: log groups with counts per time bucket, samples, the agent's counters",
            description = "The body is the agent's shipment JSON (format 1). Idempotent by shipment id: a shipment sent again is "
                    + "answered 200 with duplicate=true and counted once.",
            security = @SecurityRequirement(name = "agentToken"),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = Shipment.class))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "stored, or stored before (duplicate)",
                            content = @Content(schema = @Schema(implementation = Taken.class))),
                    @ApiResponse(responseCode = "400", description = "the body is not a valid shipment; nothing was stored",
                            content = @Content(schema = @Schema(implementation = Refusal.class))),
                    @ApiResponse(responseCode = "401", description = "no token, or not the server's",
                            content = @Content(schema = @Schema(implementation = Refusal.class))),
                    @ApiResponse(responseCode = "403", description = "the server has no agent token configured, so it takes no shipments",
                            content = @Content(schema = @Schema(implementation = Refusal.class))),
                    @ApiResponse(responseCode = "404", description = "the shipment's app is not onboarded; nothing was stored",
                            content = @Content(schema = @Schema(implementation = Refusal.class)))})
    ResponseEntity<Object> ship(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                @RequestBody(required = false) byte[] body) {
        if (token == null) {
            return refuse(HttpStatus.FORBIDDEN, "this server takes no log shipments: start it with --graywatch.agent.token=<token> "
                    + "and give the agents the same --token");
        }
        if (authorization == null || !MessageDigest.isEqual(token, authorization.strip().getBytes(StandardCharsets.UTF_8))) {
            return refuse(HttpStatus.UNAUTHORIZED, "unknown agent token");
        }
        if (body == null || body.length == 0) return refuse(HttpStatus.BAD_REQUEST, "the body is empty: send the agent's shipment JSON");
        Shipment shipment;
        try {
            shipment = Shipment.fromJson(body);
        } catch (IllegalArgumentException e) {
            return refuse(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        try {
            LogIngest.Outcome o = ingest.take(shipment);
            return ResponseEntity.ok(new Taken(o.id(), o.duplicate(), o.groups(), o.events()));
        } catch (ApiException e) {
            String message = e.status() == HttpStatus.NOT_FOUND
                    ? "app '" + shipment.app() + "' is not onboarded: create it with POST /api/v1/apps before its agents ship" : e.getMessage();
            return refuse(e.status(), message);
        }
    }

    private static ResponseEntity<Object> refuse(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new Refusal(message));
    }

    @GetMapping("/api/v1/apps/{name}/agents")
    @Operation(summary = "The app's instances that have an agent: last seen, agent version, lines read, what it dropped")
    List<AgentView> agents(@PathVariable String name) {
        apps.get(name);
        return store.agents(name);
    }
}
