package io.graywatch.server;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Every API error as an RFC 7807 problem whose {@code detail} says which field is wrong and what
 * to send instead. Nothing about the server's internals (stack traces, class names) leaks out.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(ApiException.class)
    ProblemDetail refused(ApiException e) {
        return ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("request failed", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the server failed to handle this request; its log has the details");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return badRequest(unreadable(e), e, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + ": " + f.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return badRequest(detail.isEmpty() ? "the request is invalid" : detail, e, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        return badRequest(name + ": '" + e.getValue() + "' is not " + expected(e.getRequiredType()), e, headers, request);
    }

    private ResponseEntity<Object> badRequest(String detail, Exception e, HttpHeaders headers, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        return handleExceptionInternal(e, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static String unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause == null) return "the request body is missing: send a JSON object";
        if (cause instanceof JsonParseException p) {
            return "malformed JSON at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr()
                    + ": " + p.getOriginalMessage();
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + path(u) + "': known fields here are "
                    + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        }
        if (cause instanceof InvalidFormatException f) {
            return field(f) + "'" + f.getValue() + "' is not " + expected(f.getTargetType());
        }
        if (cause instanceof ValueInstantiationException v && v.getCause() != null) {
            return field(v) + v.getCause().getMessage();
        }
        if (cause instanceof MismatchedInputException m) {
            String where = path(m);
            return where.isEmpty() ? "the request body must be a JSON object" : where + ": must be " + expected(m.getTargetType());
        }
        return "the request body is not readable JSON";
    }

    private static String field(JsonMappingException e) {
        String p = path(e);
        return p.isEmpty() ? "" : p + ": ";
    }

    /** The JSON path of the offending value, e.g. {@code batches[2].share}. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) return "a valid value";
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "a whole number";
        if (type == Double.class || type == double.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (Collection.class.isAssignableFrom(type) || type.isArray()) return "a JSON array";
        return "a JSON object";
    }
}
