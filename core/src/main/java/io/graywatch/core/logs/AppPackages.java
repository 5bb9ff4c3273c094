package io.graywatch.core.logs;

import java.util.List;

/**
 * Tells the application's own frames from library frames. By default every package that is not a
 * well-known runtime, framework or library package is the application's; configured prefixes
 * (e.g. {@code com.example.}) make the choice explicit for apps that live under a library's name.
 */
public final class AppPackages {
    public static final List<String> LIBRARY_PREFIXES = List.of(
            "java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "org.springframework.", "org.apache.",
            "org.hibernate.", "io.netty.", "com.fasterxml.", "org.slf4j.", "ch.qos.logback.", "org.eclipse.",
            "io.undertow.", "reactor.", "kotlin.", "kotlinx.", "scala.", "groovy.", "org.codehaus.", "com.google.",
            "org.junit.", "junit.", "org.testng.", "org.mockito.", "net.bytebuddy.", "org.aspectj.", "org.objectweb.",
            "com.zaxxer.", "org.postgresql.", "com.mysql.", "org.h2.", "org.mariadb.", "oracle.", "io.micrometer.",
            "feign.", "okhttp3.", "okio.", "retrofit2.", "io.grpc.", "org.mybatis.", "org.glassfish.", "org.jboss.",
            "io.opentelemetry.", "brave.", "io.github.resilience4j.", "com.netflix.", "io.reactivex.", "rx.",
            "org.jooq.", "org.flywaydb.", "org.thymeleaf.", "io.swagger.", "org.yaml.", "org.xml.", "org.w3c.",
            "io.vertx.", "akka.", "io.quarkus.", "io.micronaut.", "software.amazon.", "com.amazonaws.",
            "org.bouncycastle.", "com.rabbitmq.", "org.redisson.", "io.lettuce.", "redis.clients.", "org.elasticsearch.",
            "org.quartz.", "com.alibaba.druid.", "com.alibaba.fastjson.", "com.alibaba.nacos.", "com.alibaba.csp.",
            "com.alibaba.dubbo.", "com.alibaba.cloud.", "io.seata.", "com.esotericsoftware.", "com.ctc.");

    private final List<String> appPrefixes;

    private AppPackages(List<String> appPrefixes) {
        this.appPrefixes = List.copyOf(appPrefixes);
    }

    /** Everything outside {@link #LIBRARY_PREFIXES} is the application's. */
    public static AppPackages notLibraries() {
        return new AppPackages(List.of());
    }

    /** Only frames under these prefixes are the application's; with none, {@link #notLibraries()}. */
    public static AppPackages of(List<String> appPrefixes) {
        for (String p : appPrefixes)
            if (p == null || p.isBlank()) throw new IllegalArgumentException("an application package prefix must not be blank");
        return new AppPackages(appPrefixes);
    }

    /** Whether a normalised frame ({@code com.example.Foo.bar}) belongs to the application. */
    public boolean isApplication(String frame) {
        if (frame.startsWith(ExceptionFingerprint.PROXY)) return false;
        if (!appPrefixes.isEmpty()) {
            for (String p : appPrefixes) if (frame.startsWith(p)) return true;
            return false;
        }
        for (String p : LIBRARY_PREFIXES) if (frame.startsWith(p)) return false;
        return true;
    }
}
