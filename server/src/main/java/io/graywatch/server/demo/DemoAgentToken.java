package io.graywatch.server.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The demo's agents ship to the demo server like any agent, with a token: the one given with
 * {@code --graywatch.agent.token}, or else a random one made for this run, so the demo needs no setup.
 */
public class DemoAgentToken implements EnvironmentPostProcessor {
    static final String PROPERTY = "graywatch.agent.token";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty("graywatch.demo.enabled", Boolean.class, false)) return;
        String configured = env.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) return;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        env.getPropertySources().addLast(new MapPropertySource("demoAgentToken", Map.of(PROPERTY, "demo-" + HexFormat.of().formatHex(random))));
    }
}
