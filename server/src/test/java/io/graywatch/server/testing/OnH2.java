package io.graywatch.server.testing;

import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Runs a server test class against the embedded H2 database, in a fresh folder. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@TestPropertySource(properties = TestFixtures.DATABASE_PROPERTY + "=h2")
public @interface OnH2 {
}
