package io.graywatch.server;

import org.springframework.boot.Banner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Graywatch server: REST API, persistence, release orchestration and guards.
 *
 * <p>The release executor, the metric source and the judge are beans provided by the caller (the
 * command line wires the simulator, the built-in scraper and the detection funnel); the server
 * itself only knows the core interfaces.
 */
@SpringBootApplication
public class GraywatchServer {

    /** A builder with the server's defaults, for callers that add their own sources or initializers. */
    public static SpringApplicationBuilder builder(Class<?>... extraSources) {
        return new SpringApplicationBuilder(GraywatchServer.class)
                .sources(extraSources)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false);
    }

    /** Starts the server with Spring-style arguments ({@code --server.port=9090}) and returns its context. */
    public static ConfigurableApplicationContext start(String... args) {
        return builder().run(args);
    }

    public static void main(String[] args) {
        start(args);
    }
}
