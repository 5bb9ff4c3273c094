package io.graywatch.server.ui;

import io.graywatch.server.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Errors of the UI's pages as an HTML page with the status and a message saying what is wrong;
 * ordered before the API's handler, which answers every other controller in JSON.
 */
@ControllerAdvice(annotations = UiController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class UiProblems {
    private static final Logger log = LoggerFactory.getLogger(UiProblems.class);

    @ExceptionHandler(ApiException.class)
    ModelAndView refused(ApiException e) {
        return page(e.status(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView typeMismatch(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        String expected = type == null ? "a valid value"
                : type.isEnum() ? "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "))
                : Number.class.isAssignableFrom(type) || type == long.class || type == int.class ? "a whole number"
                : "a valid " + type.getSimpleName();
        // a path segment that cannot be an id names no page
        HttpStatus status = e.getParameter().hasParameterAnnotation(PathVariable.class)
                ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
        return page(status, e.getName() + ": '" + e.getValue() + "' is not " + expected);
    }

    @ExceptionHandler(Exception.class)
    ModelAndView unexpected(Exception e) {
        log.error("page failed", e);
        return page(HttpStatus.INTERNAL_SERVER_ERROR, "the server failed to show this page; its log has the details");
    }

    /** The same template and model names as Spring Boot's error pages, so one template serves both. */
    private static ModelAndView page(HttpStatus status, String message) {
        return new ModelAndView("error", Map.of("status", status.value(), "error", status.getReasonPhrase(), "message", message), status);
    }
}
