package io.graywatch.replay.generate;

import java.util.List;

/**
 * Java stack traces and error lines that look like a Spring service's logs: the app's own frames
 * under {@code com.acme.<app>}, framework frames below, CGLIB proxies, {@code Caused by:} chains.
 * Line numbers of the app's frames move with the version, as they do when code changes.
 */
final class Stacks {
    /** A log group the generator emits: how it is written, and whether a rule would call its type dangerous. */
    record Kind(String name, boolean dangerous, boolean hasStack) {
    }

    static final List<String> NOUNS = List.of("Order", "Cart", "Price", "Coupon", "Inventory", "Payment", "Session", "Catalog", "Shipment", "Invoice",
            "Search", "Account", "Review", "Profile");

    static final List<Kind> NEW_EXCEPTIONS = List.of(
            new Kind("NoSuchMethodError", true, true), new Kind("NoClassDefFoundError", true, true), new Kind("ClassNotFoundException", true, true),
            new Kind("AbstractMethodError", true, true), new Kind("NullPointerException", false, true), new Kind("IllegalStateException", false, true),
            new Kind("NumberFormatException", false, true), new Kind("ArrayIndexOutOfBoundsException", false, true),
            new Kind("ClassCastException", false, true), new Kind("NullPointerException", false, true));

    static final List<Kind> BACKGROUND_EXCEPTIONS = List.of(new Kind("SocketTimeoutException", false, true), new Kind("SQLTransientConnectionException", false, true),
            new Kind("TimeoutException", false, true), new Kind("OptimisticLockingFailureException", false, true));

    /** Flaky exceptions that are there before the release too; one of them has a type the dangerous-exception rule lists. */
    static final List<Kind> FLAKY_EXCEPTIONS = List.of(new Kind("SocketTimeoutException", false, true), new Kind("PluginClassNotFound", true, true),
            new Kind("TimeoutException", false, true));

    private static final String[] WEB = {
            "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
            "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
            "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
            "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
            "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:162)",
            "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
            "java.base/java.lang.Thread.run(Thread.java:840)"};

    private final String pkg;
    private final String[] classes;
    private final int[] lines;

    /** @param app the app's name, from which its package and class names come */
    Stacks(String app, Rng rng) {
        pkg = "com.acme." + app.replaceAll("[^a-z]", "");
        classes = new String[4];
        lines = new int[8];
        String noun = rng.pick(NOUNS), other = rng.pick(NOUNS);
        classes[0] = noun + "Controller";
        classes[1] = noun + "Service";
        classes[2] = other + "Client";
        classes[3] = other + "Repository";
        for (int i = 0; i < lines.length; i++) lines[i] = rng.integer(40, 420);
    }

    String logger(int i) { return pkg + "." + classes[i % classes.length]; }

    private String frame(int cls, String method, int line, int shift) {
        return "\tat " + pkg + "." + classes[cls] + "." + method + "(" + classes[cls] + ".java:" + (lines[line] + shift) + ")";
    }

    private String proxy(int cls, String method) {
        return "\tat " + pkg + "." + classes[cls] + "$$SpringCGLIB$$0." + method + "(<generated>)";
    }

    private String appFrames(int shift) {
        return String.join("\n", frame(1, "handle", 1, shift), proxy(1, "handle"), frame(0, "post", 2, shift));
    }

    private static String web(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, WEB.length); i++) sb.append("\n\tat ").append(WEB[i]);
        return sb.toString();
    }

    /**
     * A stack trace of the kind, as the given version would print it.
     *
     * @param shift how far the app's line numbers moved in this version
     * @param id    a number that varies from event to event (an order id, a port…)
     */
    String stack(Kind k, int shift, long id) {
        String c = pkg + "." + classes[2];
        return switch (k.name()) {
            case "NoSuchMethodError" -> "java.lang.NoSuchMethodError: 'java.lang.String " + pkg + ".util.MoneyFormat.format(java.math.BigDecimal, java.util.Locale)'\n"
                    + appFrames(shift) + web(5);
            case "NoClassDefFoundError" -> "java.lang.NoClassDefFoundError: " + pkg.replace('.', '/') + "/json/MoneyModule\n" + appFrames(shift) + web(4)
                    + "\nCaused by: java.lang.ClassNotFoundException: " + pkg + ".json.MoneyModule\n"
                    + "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)\n"
                    + "\tat java.base/java.lang.ClassLoader.loadClass(ClassLoader.java:525)\n\t... 11 more";
            case "ClassNotFoundException", "PluginClassNotFound" -> "java.lang.ClassNotFoundException: " + pkg
                    + (k.name().equals("PluginClassNotFound") ? ".plugins.LegacyExporter" : ".pricing.RuleEngineV2") + "\n"
                    + "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)\n"
                    + "\tat java.base/java.lang.Class.forName(Class.java:375)\n" + frame(1, "loadPlugins", 3, shift) + web(2);
            case "AbstractMethodError" -> "java.lang.AbstractMethodError: Receiver class " + c + "Impl does not define or inherit an implementation of the "
                    + "resolved method 'abstract java.util.Optional find(long)' of interface " + c + ".\n" + appFrames(shift) + web(4);
            case "NullPointerException" -> "java.lang.NullPointerException: Cannot invoke \"" + pkg + ".model." + classes[1].replace("Service", "")
                    + ".getCode()\" because \"item\" is null\n" + frame(1, "apply", 4, shift) + "\n" + appFrames(shift) + web(4);
            case "IllegalStateException" -> "java.lang.IllegalStateException: order " + id + " is in state CANCELLED, expected PAID\n" + frame(1, "settle", 5, shift)
                    + "\n" + appFrames(shift) + web(4);
            case "NumberFormatException" -> "java.lang.NumberFormatException: For input string: \"" + (id % 100) + ",50\"\n"
                    + "\tat java.base/jdk.internal.math.FloatingDecimal.readJavaFormatString(FloatingDecimal.java:2054)\n"
                    + "\tat java.base/java.lang.Double.parseDouble(Double.java:651)\n" + frame(1, "parseAmount", 6, shift) + "\n" + appFrames(shift) + web(3);
            case "ArrayIndexOutOfBoundsException" -> "java.lang.ArrayIndexOutOfBoundsException: Index " + (3 + id % 4) + " out of bounds for length 3\n"
                    + frame(1, "split", 7, shift) + "\n" + appFrames(shift) + web(3);
            case "ClassCastException" -> "java.lang.ClassCastException: class java.lang.Long cannot be cast to class java.lang.Integer "
                    + "(java.lang.Long and java.lang.Integer are in module java.base of loader 'bootstrap')\n" + frame(3, "rowCount", 0, shift) + "\n"
                    + appFrames(shift) + web(3);
            case "SocketTimeoutException" -> "org.springframework.web.client.ResourceAccessException: I/O error on GET request for \"http://inventory:8080/stock/"
                    + id + "\": Read timed out\n\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:915)\n"
                    + frame(2, "stock", 0, shift) + "\n" + appFrames(shift) + web(2) + "\nCaused by: java.net.SocketTimeoutException: Read timed out\n"
                    + "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)\n\t... 31 more";
            case "SQLTransientConnectionException" -> "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after "
                    + (30000 + id % 7) + "ms.\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\n" + frame(3, "findById", 0, shift)
                    + "\n" + appFrames(shift) + web(2);
            case "TimeoutException" -> "java.util.concurrent.TimeoutException: Did not observe any item or terminal signal within 2000ms in 'flatMap'\n"
                    + "\tat reactor.core.publisher.FluxTimeout$TimeoutMainSubscriber.handleTimeout(FluxTimeout.java:296)\n" + frame(2, "quote", 1, shift) + web(2);
            case "OptimisticLockingFailureException" -> "org.springframework.orm.ObjectOptimisticLockingFailureException: Row was updated or deleted by another "
                    + "transaction: [" + pkg + ".model.Cart#" + id + "]\n" + frame(3, "save", 2, shift) + "\n" + appFrames(shift) + web(2);
            case "ConnectException" -> "org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis\n"
                    + "\tat org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory.getConnection(LettuceConnectionFactory.java:1805)\n"
                    + frame(2, "warmCache", 3, shift) + "\nCaused by: java.net.ConnectException: Connection refused: redis/10.0.3." + (id % 250) + ":6379\n\t... 14 more";
            default -> throw new IllegalArgumentException(k.name());
        };
    }

    /** The first line's message of a stack, which is what a logger prints before the trace. */
    static String message(String stack) {
        String first = stack.substring(0, stack.indexOf('\n'));
        int colon = first.indexOf(": ");
        return colon < 0 ? first : first.substring(colon + 2);
    }

    /** Error lines without a stack (templates), with the numbers that change from line to line. */
    static String line(int template, long id, Rng rng) {
        return switch (template % 5) {
            case 0 -> "timeout after " + (rng.chance(0.5) ? 3000 : 5000) + " ms calling 10.2." + rng.integer(0, 9) + "." + rng.integer(2, 250) + ":8080";
            case 1 -> "payment gateway returned " + (rng.chance(0.6) ? 503 : 502) + " for order " + id;
            case 2 -> "slow query took " + rng.integer(1500, 9000) + " ms: select * from orders where customer_id = ?";
            case 3 -> "retrying request " + id + " to inventory-service (attempt " + rng.integer(1, 3) + " of 3)";
            default -> "cache miss storm: " + rng.integer(200, 5000) + " misses in 10 s";
        };
    }

    static String levelOf(int template) { return template % 5 >= 3 ? "WARN" : "ERROR"; }
}
