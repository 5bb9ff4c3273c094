package io.graywatch.server.logs;

import io.graywatch.agent.ship.Shipment;
import io.graywatch.server.GraywatchServer;
import io.graywatch.server.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A server started without graywatch.agent.token takes no shipments, and says how to fix that. */
class AgentTokenUnsetTest {
    @Test
    void withoutAConfiguredTokenEveryShipmentIsRefusedWithTheFix(@TempDir Path dataDir) {
        try (ConfigurableApplicationContext server = GraywatchServer.start("--server.port=0", "--graywatch.data-dir=" + dataDir,
                "--graywatch.orchestrator.scheduled=false", "--graywatch.logs.prune-scheduled=false")) {
            Http http = new Http(((WebServerApplicationContext) server).getWebServer().getPort());
            Http.Response r = http.postWithToken(Shipment.PATH, "{}".getBytes(StandardCharsets.UTF_8), "anything");
            assertThat(r.status()).as("the agent stops and says why on 401/403").isEqualTo(403);
            assertThat(r.json().get("message").asText()).isEqualTo("this server takes no log shipments: start it with "
                    + "--graywatch.agent.token=<token> and give the agents the same --token");
        }
    }
}
