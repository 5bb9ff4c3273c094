package io.graywatch.server.ui;

import org.springframework.stereotype.Controller;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A controller of the browser UI. Its errors become HTML pages ({@link UiProblems}) instead of the
 * API's JSON problems, although both kinds of controller sit side by side in each feature's package.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Controller
public @interface UiController {
}
