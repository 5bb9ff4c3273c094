package io.graywatch.simulator.logs;

import io.graywatch.simulator.fault.ThrownException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link ThrownException} into a Throwable whose {@code printStackTrace} is exactly what a
 * JVM prints: {@code at} frames, {@code Caused by:} and {@code ... N more}. The JDK does the
 * formatting, so the logs are as real as the simulator can make them.
 */
public final class StackTraces {
    // [module/]pkg.Class.method[(location)]
    private static final Pattern FRAME = Pattern.compile("(?:([\\w.]+)/)?([\\w$.]+)\\.([\\w$<>]+)(?:\\((.*)\\))?");

    /** The frames below the application's own: a GET /api/orders handled by Spring MVC on Tomcat. */
    public static final List<String> REQUEST_PATH = List.of(
            "com.example.shop.web.OrderController.listOrders(OrderController.java:48)",
            "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
            "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
            "java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
            "java.base/java.lang.reflect.Method.invoke(Method.java:568)",
            "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
            "org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:188)",
            "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
            "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
            "org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)",
            "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
            "org.springframework.web.servlet.FrameworkServlet.doGet(FrameworkServlet.java:903)",
            "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:564)",
            "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)",
            "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
            "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
            "org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:344)",
            "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
            "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1744)",
            "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
            "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)",
            "org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)",
            "java.base/java.lang.Thread.run(Thread.java:840)");

    private static final StackTraceElement[] REQUEST_PATH_ELEMENTS = REQUEST_PATH.stream().map(StackTraces::frame).toArray(StackTraceElement[]::new);

    private StackTraces() {
    }

    /** The exception thrown during a request, with placeholders in its messages filled from rng. */
    public static Throwable toThrowable(ThrownException e, Random rng) {
        return toThrowable(e, REQUEST_PATH_ELEMENTS, rng);
    }

    private static Throwable toThrowable(ThrownException e, StackTraceElement[] caller, Random rng) {
        List<StackTraceElement> trace = new ArrayList<>();
        for (String f : e.frames()) trace.add(frame(f));
        trace.addAll(List.of(caller));
        StackTraceElement[] elements = trace.toArray(StackTraceElement[]::new);
        // a cause was thrown by a call the enclosing frame made: it shares everything below that frame
        Throwable cause = e.cause() == null ? null
                : toThrowable(e.cause(), Arrays.copyOfRange(elements, Math.min(1, elements.length), elements.length), rng);
        String message = Placeholders.fill(e.message(), rng);
        return new LoggedThrowable(message.isEmpty() ? e.type() : e.type() + ": " + message, cause, elements);
    }

    /** Parses {@code [module/]pkg.Class.method[(File.java:12)|(Native Method)]}; a frame without location gets a stable line number. */
    public static StackTraceElement frame(String s) {
        Matcher m = FRAME.matcher(s.trim());
        if (!m.matches()) throw new IllegalArgumentException("stack frame '" + s + "' is not like pkg.Class.method or pkg.Class.method(Class.java:12)");
        String module = m.group(1), cls = m.group(2), method = m.group(3), location = m.group(4);
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        int dollar = simple.indexOf('$');
        String file = (dollar < 0 ? simple : simple.substring(0, dollar)) + ".java";
        int line;
        if (location == null) {
            line = 20 + Math.floorMod(s.hashCode(), 400);
        } else if (location.equals("Native Method")) {
            line = -2;
        } else if (location.equals("Unknown Source")) {
            file = null;
            line = -1;
        } else {
            int colon = location.lastIndexOf(':');
            try {
                file = colon < 0 ? location : location.substring(0, colon);
                line = colon < 0 ? -1 : Integer.parseInt(location.substring(colon + 1));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("stack frame '" + s + "' has a bad line number");
            }
        }
        return new StackTraceElement(null, module, null, cls, method, file, line);
    }

    /** Prints as the named type although no such class exists here. */
    private static final class LoggedThrowable extends Throwable {
        private final String header;

        LoggedThrowable(String header, Throwable cause, StackTraceElement[] trace) {
            super(header, cause, false, true);
            this.header = header;
            setStackTrace(trace);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

        @Override
        public String toString() {
            return header;
        }
    }
}
