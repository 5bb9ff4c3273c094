package io.graywatch.agent.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a realistic, labelled Java service log (logback layout): INFO/WARN/ERROR lines from
 * fixed message templates with varying values (numbers, IPs, UUIDs, hex ids, user names, words),
 * and ERROR/WARN events with stack traces from a fixed set of bugs, each thrown with the
 * variations that must not change its group (two versions with shifted line numbers, CGLIB and JDK
 * proxy frames, lambda counters, messages). Every event carries its true group as a label, so a
 * grouping can be scored. Same seed, same log.
 */
public final class LogGenerator {
    /** Labels of template groups are their index; exception groups start here. */
    public static final int EXCEPTION_LABELS = 1000;

    private record Template(String level, String logger, String[] parts) {
    }

    private static final String[] NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
            "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yolanda", "zoe", "liwei", "zhangsan", "mei"};
    private static final String[] WORDS = {"orders", "payments", "inventory", "shipping", "catalog", "pricing", "search", "accounts",
            "reviews", "coupons", "returns", "billing", "loyalty", "analytics"};
    private static final String[] PROVIDERS = {"stripe", "adyen", "paypal", "klarna", "alipay"};
    private static final String[] TABLES = {"orders", "customers", "order_items", "payments", "shipments", "coupons"};
    private static final String[] SERVICES = {"pricing-service", "stock-service", "payment-gateway", "shipping-api", "user-service"};

    private static final Template[] TEMPLATES = {
            t("INFO", "c.e.shop.ShopApplication", "Started ShopApplication in {dur} seconds (JVM running for {dur})"),
            t("INFO", "c.e.shop.web.AccessLog", "GET /api/orders/{num} 200 {ms} ms"),
            t("INFO", "c.e.shop.web.AccessLog", "POST /api/cart/{num}/items 201 {ms} ms"),
            t("INFO", "c.e.shop.auth.LoginService", "user {user} logged in from {ip}"),
            t("INFO", "c.e.shop.auth.LoginService", "user {user} logged out after {num} minutes"),
            t("INFO", "c.e.shop.cache.CacheStats", "cache hit ratio {pct} for region {word}"),
            t("INFO", "c.e.shop.jobs.Scheduler", "scheduled job {word} finished in {ms} ms, {num} rows"),
            t("INFO", "c.e.shop.order.OrderService", "order {uuid} created for customer {num} total {money} EUR"),
            t("INFO", "c.e.shop.payment.PaymentService", "payment {hex} authorised by {provider}"),
            t("INFO", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@{hex8}"),
            t("INFO", "o.a.k.c.c.internals.ConsumerCoordinator", "[Consumer clientId=shop-{num}, groupId=shop] Adding newly assigned partitions: {word}-events-{num}"),
            t("INFO", "c.e.shop.mail.Mailer", "sending email to {email} with template {word}"),
            t("INFO", "c.e.shop.stock.StockSync", "inventory sync: {num} items updated, {num} unchanged"),
            t("INFO", "c.e.shop.web.RequestLog", "request {uuid} completed in {ms} ms"),
            t("INFO", "c.e.shop.auth.SessionStore", "session {hex} expired"),
            t("INFO", "c.e.shop.pricing.RuleLoader", "loaded {num} pricing rules from {path}"),
            t("INFO", "c.e.shop.health.HealthCheck", "health check ok: db={ms}ms cache={ms}ms"),
            t("INFO", "c.e.shop.shipping.LabelPrinter", "shipping label printed for parcel {code}"),
            t("INFO", "c.e.shop.reco.RecommendationService", "recommendation model v{num} scored {num} items for user {user}"),
            t("INFO", "c.e.shop.web.RateLimiter", "rate limiter allowed {num} requests for client {ip}"),
            t("INFO", "c.e.shop.client.Http", "{svc} answered in {ms} ms"),
            t("WARN", "c.e.shop.db.SlowQueryLog", "slow query took {ms} ms: select * from {table} where id = ?"),
            t("WARN", "c.e.shop.client.Retry", "retrying call to {svc} attempt {small} of 3"),
            t("WARN", "c.e.shop.catalog.ProductCache", "cache miss for product {num}, loading from database"),
            t("WARN", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Connection is not available, request timed out after {ms}ms."),
            t("WARN", "c.e.shop.web.Deprecation", "deprecated API /v1/{word} called by client {ip}"),
            t("WARN", "c.e.shop.payment.PaymentService", "payment provider {provider} responded slowly: {ms} ms"),
            t("WARN", "c.e.shop.ops.DiskMonitor", "disk usage at {pct} on {path}"),
            t("WARN", "c.e.shop.stock.StockService", "库存不足 for sku {code}, only {small} left"),
            t("ERROR", "c.e.shop.client.Http", "timeout after {ms} ms calling {ip}"),
            t("ERROR", "c.e.shop.mail.Mailer", "failed to send email to {email}: mailbox unavailable"),
            t("ERROR", "c.e.shop.order.OrderService", "order {uuid} rejected: insufficient stock for sku {code}"),
            t("ERROR", "c.e.shop.auth.TokenService", "could not refresh token for client {word}"),
            t("ERROR", "c.e.shop.events.DeadLetters", "message {hex} moved to dead letter queue {word}-dlq"),
            t("ERROR", "c.e.shop.db.TxManager", "deadlock detected on table {table}, transaction {num} rolled back"),
    };
    private static final int[] LEVEL_WEIGHTS = {880, 80, 40};

    private static final String[] SPRING_WEB = {
            "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
            "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:920)",
            "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal(RequestMappingHandlerAdapter.java:830)",
            "org.springframework.web.servlet.mvc.method.AbstractHandlerMethodAdapter.handle(AbstractHandlerMethodAdapter.java:87)",
            "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
            "org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)",
            "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
            "org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914)",
            "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)",
            "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
            "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
            "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:195)",
            "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:140)",
            "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
            "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
            "org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:90)",
            "org.apache.catalina.core.StandardHostValve.invoke(StandardHostValve.java:115)",
            "org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:344)",
            "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
            "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1736)",
            "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
            "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)",
            "java.base/java.lang.Thread.run(Thread.java:840)"};
    private static final String[] CGLIB = {
            "org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept(CglibAopProxy.java:720)",
            "org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)",
            "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)"};
    private static final String[] SCHEDULER = {
            "org.springframework.scheduling.support.ScheduledMethodRunnable.run(ScheduledMethodRunnable.java:84)",
            "java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:539)",
            "java.base/java.util.concurrent.FutureTask.runAndReset(FutureTask.java:305)",
            "java.base/java.lang.Thread.run(Thread.java:840)"};

    private final Random random;
    private final double stackShare;
    private long epochMillis = 1709287200000L;
    private long lines, events, stackLines, stackEvents;
    private long cachedMinute = -1;
    private String minutePrefix;
    private int version;

    /** @param stackShare the share of lines that belong to stack traces (0.05: 5%) */
    public LogGenerator(long seed, double stackShare) {
        if (stackShare < 0 || stackShare >= 1) throw new IllegalArgumentException("stack share must be in [0, 1), got " + stackShare);
        this.random = new Random(seed);
        this.stackShare = stackShare;
    }

    private static Template t(String level, String logger, String text) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            if (open < 0) {
                parts.add(text.substring(i));
                break;
            }
            parts.add(text.substring(i, open));
            int close = text.indexOf('}', open);
            parts.add(text.substring(open, close + 1));
            i = close + 1;
        }
        return new Template(level, logger, parts.toArray(new String[0]));
    }

    /** The level of the events of a true group (every exception is logged at WARN or ERROR). */
    public static String level(int label) {
        return label >= EXCEPTION_LABELS ? (label == EXCEPTION_LABELS + 5 ? "WARN" : "ERROR") : TEMPLATES[label].level;
    }

    /** The number of template groups; exception groups are labelled from {@link #EXCEPTION_LABELS}. */
    public static int templates() {
        return TEMPLATES.length;
    }

    /** Appends the next event (one or more lines, each ending with a newline) and returns its true group. */
    public int next(StringBuilder sb) {
        epochMillis += random.nextInt(4);
        events++;
        if (stackShare > 0 && stackLines < stackShare * lines) return stackEvent(sb);
        int r = random.nextInt(1000), level = r < LEVEL_WEIGHTS[0] ? 0 : r < LEVEL_WEIGHTS[0] + LEVEL_WEIGHTS[1] ? 1 : 2;
        int from = level == 0 ? 0 : level == 1 ? firstOf("WARN") : firstOf("ERROR");
        int to = level == 0 ? firstOf("WARN") : level == 1 ? firstOf("ERROR") : TEMPLATES.length;
        int idx = from + random.nextInt(to - from);
        Template t = TEMPLATES[idx];
        header(sb, t.level, t.logger);
        for (String p : t.parts) {
            if (p.startsWith("{")) value(sb, p);
            else sb.append(p);
        }
        sb.append('\n');
        lines++;
        return idx;
    }

    private static int firstOf(String level) {
        for (int i = 0; i < TEMPLATES.length; i++) if (TEMPLATES[i].level.equals(level)) return i;
        throw new IllegalStateException(level);
    }

    public long lines() {
        return lines;
    }

    public long events() {
        return events;
    }

    public long stackLines() {
        return stackLines;
    }

    public long stackEvents() {
        return stackEvents;
    }

    private void header(StringBuilder sb, String level, String logger) {
        long minute = epochMillis / 60000;
        if (minute != cachedMinute) {
            java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(minute * 60, 0, java.time.ZoneOffset.UTC);
            minutePrefix = String.format("%04d-%02d-%02d %02d:%02d:", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute());
            cachedMinute = minute;
        }
        int ms = (int) (epochMillis % 60000);
        sb.append(minutePrefix);
        pad(sb, ms / 1000, 2);
        sb.append('.');
        pad(sb, ms % 1000, 3);
        sb.append(' ').append(level);
        if (level.length() == 4) sb.append(' ');
        sb.append(" [http-nio-8080-exec-").append(1 + random.nextInt(20)).append("] ").append(logger).append(" - ");
    }

    private static void pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) sb.append('0');
        sb.append(s);
    }

    private void value(StringBuilder sb, String kind) {
        switch (kind) {
            case "{num}" -> sb.append(random.nextInt(100000));
            case "{small}" -> sb.append(1 + random.nextInt(3));
            case "{ms}" -> sb.append(1 + random.nextInt(5000));
            case "{dur}" -> sb.append(random.nextInt(60)).append('.').append(100 + random.nextInt(900));
            case "{money}" -> sb.append(1 + random.nextInt(500)).append('.').append(10 + random.nextInt(90));
            case "{pct}" -> sb.append(random.nextInt(100)).append('%');
            case "{ip}" -> sb.append("10.").append(random.nextInt(256)).append('.').append(random.nextInt(256)).append('.').append(random.nextInt(256));
            case "{uuid}" -> {
                hex(sb, 8);
                sb.append('-');
                hex(sb, 4);
                sb.append('-');
                hex(sb, 4);
                sb.append('-');
                hex(sb, 4);
                sb.append('-');
                hex(sb, 12);
            }
            case "{hex}" -> hex(sb, 16);
            case "{hex8}" -> hex(sb, 8);
            case "{user}" -> sb.append(pick(NAMES));
            case "{word}" -> sb.append(pick(WORDS));
            case "{provider}" -> sb.append(pick(PROVIDERS));
            case "{table}" -> sb.append(pick(TABLES));
            case "{svc}" -> sb.append(pick(SERVICES));
            case "{email}" -> sb.append(pick(NAMES)).append('@').append(pick(WORDS)).append(".example.com");
            case "{path}" -> sb.append("/data/").append(pick(WORDS)).append('/').append(pick(WORDS)).append(".yaml");
            case "{code}" -> sb.append("SKU-").append(10000 + random.nextInt(90000));
            default -> throw new IllegalStateException("unknown placeholder " + kind);
        }
    }

    private void hex(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) sb.append(Character.forDigit(random.nextInt(16), 16));
    }

    private String pick(String[] a) {
        return a[random.nextInt(a.length)];
    }

    // ---- stack traces ----

    private int stackEvent(StringBuilder sb) {
        stackEvents++;
        version = random.nextInt(2) * 7; // two versions of the code: every line number moves by 7
        boolean cglib = random.nextBoolean();
        int scenario = random.nextInt(9);
        int start = sb.length();
        switch (scenario) {
            case 0, 1 -> {
                header(sb, "ERROR", "c.e.shop.web.OrderController");
                int order = random.nextInt(100000);
                sb.append("order ").append(order).append(" failed\n");
                sb.append("java.lang.IllegalStateException: could not price order ").append(order).append('\n');
                frame(sb, "com.example.shop.pricing.PricingService.price(PricingService.java:" + (88 + version) + ")");
                if (cglib) proxied(sb, "com.example.shop.pricing.PricingService", "price");
                frame(sb, "com.example.shop.web.OrderController.lambda$create$" + random.nextInt(9) + "(OrderController.java:" + (41 + version) + ")");
                frame(sb, "java.base/java.util.Optional.map(Optional.java:260)");
                frame(sb, "com.example.shop.web.OrderController.create(OrderController.java:" + (40 + version) + ")");
                frames(sb, SPRING_WEB);
                if (scenario == 0) {
                    sb.append("Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.rules.").append(pick(new String[]{"Discount", "Bundle", "Coupon"})).append("Rule\n");
                    frame(sb, "java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)");
                    frame(sb, "java.base/java.lang.ClassLoader.loadClass(ClassLoader.java:525)");
                    frame(sb, "com.example.shop.pricing.PricingService.rule(PricingService.java:" + (120 + version) + ")");
                } else {
                    sb.append("Caused by: java.net.SocketTimeoutException: Read timed out\n");
                    frame(sb, "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)");
                    frame(sb, "java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)");
                    frame(sb, "com.example.shop.pricing.RuleClient.fetch(RuleClient.java:" + (57 + version) + ")");
                    frame(sb, "com.example.shop.pricing.PricingService.rule(PricingService.java:" + (121 + version) + ")");
                }
                frame(sb, "com.example.shop.pricing.PricingService.price(PricingService.java:" + (86 + version) + ")");
                more(sb, SPRING_WEB.length + 3);
            }
            case 2, 3 -> {
                header(sb, "ERROR", scenario == 2 ? "c.e.shop.web.CartController" : "c.e.shop.shipping.LabelJob");
                sb.append(scenario == 2 ? "cart total failed for user " + pick(NAMES) : "label job failed for parcel SKU-" + random.nextInt(99999)).append('\n');
                sb.append("java.lang.NullPointerException: Cannot invoke \"java.math.BigDecimal.add(java.math.BigDecimal)\" because \"")
                        .append(pick(new String[]{"price", "tax", "fee"})).append("\" is null\n");
                if (scenario == 2) {
                    frame(sb, "com.example.shop.cart.CartService.total(CartService.java:" + (64 + version) + ")");
                    if (cglib) proxied(sb, "com.example.shop.cart.CartService", "total");
                    frame(sb, "com.example.shop.web.CartController.get(CartController.java:" + (30 + version) + ")");
                    frames(sb, SPRING_WEB);
                } else {
                    frame(sb, "com.example.shop.shipping.LabelPrinter.print(LabelPrinter.java:" + (12 + version) + ")");
                    frame(sb, "com.example.shop.shipping.LabelJob.run(LabelJob.java:" + (22 + version) + ")");
                    frames(sb, SCHEDULER);
                }
            }
            case 4 -> {
                header(sb, "ERROR", "c.e.shop.order.OrderService");
                sb.append("could not place order ").append(random.nextInt(100000)).append('\n');
                sb.append("org.springframework.dao.DataAccessResourceFailureException: could not execute statement; SQL [n/a]\n");
                frame(sb, "org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:277)");
                frame(sb, "jdk.proxy2/jdk.proxy2.$Proxy" + (100 + random.nextInt(80)) + ".save(Unknown Source)");
                frame(sb, "com.example.shop.order.OrderService.place(OrderService.java:" + (77 + version) + ")");
                if (cglib) proxied(sb, "com.example.shop.order.OrderService", "place");
                frame(sb, "com.example.shop.web.OrderController.place(OrderController.java:" + (55 + version) + ")");
                frames(sb, SPRING_WEB);
                sb.append("Caused by: org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.\n");
                frame(sb, "org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:395)");
                frame(sb, "org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:498)");
                more(sb, 12);
                sb.append("Caused by: java.net.SocketException: Connection reset\n");
                frame(sb, "java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:328)");
                frame(sb, "org.postgresql.core.VisibleBufferedInputStream.readMore(VisibleBufferedInputStream.java:161)");
                more(sb, 20);
            }
            case 5 -> {
                header(sb, "WARN", "c.e.shop.stock.StockService");
                sb.append("stock check failed, using cached level\n");
                sb.append("java.net.SocketTimeoutException: Read timed out\n");
                frame(sb, "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)");
                frame(sb, "java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)");
                frame(sb, "com.example.shop.stock.StockClient.check(StockClient.java:" + (33 + version) + ")");
                frame(sb, "com.example.shop.stock.StockService.lambda$reserve$" + random.nextInt(5) + "(StockService.java:" + (48 + version) + ")");
                frame(sb, "com.example.shop.stock.StockService$$Lambda$" + (400 + random.nextInt(300)) + "/0x0000000800" + Integer.toHexString(0xc40000 + random.nextInt(0xffff)) + ".get(Unknown Source)");
                frame(sb, "com.example.shop.stock.StockService.reserve(StockService.java:" + (45 + version) + ")");
                frames(sb, SPRING_WEB);
            }
            case 6 -> {
                header(sb, "ERROR", "c.e.shop.payment.PaymentService");
                int order = random.nextInt(100000);
                sb.append("payment failed for order ").append(order).append('\n');
                sb.append("com.example.shop.payment.PaymentDeclinedException: card declined for order ").append(order).append(" by ").append(pick(PROVIDERS)).append('\n');
                frame(sb, "com.example.shop.payment.PaymentService.lambda$charge$" + random.nextInt(6) + "(PaymentService.java:" + (91 + version) + ")");
                frame(sb, "com.example.shop.payment.RetryTemplate.execute(RetryTemplate.java:" + (20 + version) + ")");
                frame(sb, "com.example.shop.payment.PaymentService.charge(PaymentService.java:" + (88 + version) + ")");
                if (cglib) proxied(sb, "com.example.shop.payment.PaymentService", "charge");
                frames(sb, SPRING_WEB);
            }
            case 7 -> {
                header(sb, "ERROR", "c.e.shop.reco.RecommendationJob");
                sb.append("scoring failed\n");
                sb.append("java.util.ConcurrentModificationException\n");
                frame(sb, "java.base/java.util.ArrayList$Itr.checkForComodification(ArrayList.java:1013)");
                frame(sb, "java.base/java.util.ArrayList$Itr.next(ArrayList.java:967)");
                frame(sb, "com.example.shop.reco.RecommendationService.score(RecommendationService.java:" + (140 + version) + ")");
                frame(sb, "com.example.shop.reco.RecommendationJob$1.run(RecommendationJob.java:" + (19 + version) + ")");
                frames(sb, SCHEDULER);
            }
            default -> {
                header(sb, "ERROR", "c.e.shop.export.ExportJob");
                sb.append("export ").append(random.nextInt(1000)).append(" failed\n");
                sb.append("java.io.UncheckedIOException: java.io.IOException: No space left on device\n");
                frame(sb, "com.example.shop.export.CsvWriter.write(CsvWriter.java:" + (70 + version) + ")");
                frame(sb, "com.example.shop.export.ExportJob.run(ExportJob.java:" + (33 + version) + ")");
                frames(sb, SCHEDULER);
                sb.append("\tSuppressed: java.io.IOException: close failed\n");
                sb.append("\t\tat com.example.shop.export.CsvWriter.close(CsvWriter.java:").append(90 + version).append(")\n");
                sb.append("\t\t... 5 more\n");
                sb.append("Caused by: java.io.IOException: No space left on device\n");
                frame(sb, "java.base/java.io.FileOutputStream.writeBytes(Native Method)");
                frame(sb, "com.example.shop.export.CsvWriter.write(CsvWriter.java:" + (68 + version) + ")");
                more(sb, 5);
            }
        }
        int n = 0;
        for (int i = start; i < sb.length(); i++) if (sb.charAt(i) == '\n') n++;
        lines += n;
        stackLines += n - 1;
        // the two NullPointerException places are two bugs; the two causes of the pricing failure are two bugs
        return EXCEPTION_LABELS + scenario;
    }

    private static void frame(StringBuilder sb, String f) {
        sb.append("\tat ").append(f).append('\n');
    }

    private static void frames(StringBuilder sb, String[] fs) {
        for (String f : fs) frame(sb, f);
    }

    private void proxied(StringBuilder sb, String cls, String method) {
        frames(sb, CGLIB);
        frame(sb, cls + (random.nextBoolean() ? "$$SpringCGLIB$$0" : "$$EnhancerBySpringCGLIB$$" + Integer.toHexString(random.nextInt())) + "." + method + "(<generated>)");
    }

    private static void more(StringBuilder sb, int n) {
        sb.append("\t... ").append(n).append(" more\n");
    }
}
