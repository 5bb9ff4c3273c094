package io.graywatch.core.logs;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExceptionFingerprintTest {
    static final AppPackages APP = AppPackages.notLibraries();

    /** Version 1.4 of the shop: a plain service. */
    static final String V14 = String.join("\n",
            "java.lang.IllegalStateException: could not price order 42",
            "\tat com.example.shop.PricingService.price(PricingService.java:88)",
            "\tat com.example.shop.OrderController.lambda$create$3(OrderController.java:41)",
            "\tat java.base/java.util.Optional.map(Optional.java:260)",
            "\tat com.example.shop.OrderController.create(OrderController.java:40)",
            "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
            "Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule",
            "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)",
            "\tat com.example.shop.PricingService.rule(PricingService.java:120)",
            "\t... 4 more");

    /** Version 1.5 on another host: lines moved, the service is now @Transactional (a CGLIB proxy), another message. */
    static final String V15 = String.join("\n",
            "java.lang.IllegalStateException: could not price order 977",
            "\tat com.example.shop.PricingService.price(PricingService.java:93)",
            "\tat com.example.shop.PricingService$$SpringCGLIB$$0.price(<generated>)",
            "\tat org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept(CglibAopProxy.java:720)",
            "\tat com.example.shop.PricingService$$EnhancerBySpringCGLIB$$5e2f3a1b.price(<generated>)",
            "\tat com.example.shop.OrderController.lambda$create$7(OrderController.java:45)",
            "\tat java.base/java.util.Optional.map(Optional.java:260)",
            "\tat com.example.shop.OrderController.create(OrderController.java:44)",
            "\tat jdk.proxy2/jdk.proxy2.$Proxy12.create(Unknown Source)",
            "Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRuleV2",
            "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)",
            "\tat com.example.shop.PricingService.rule(PricingService.java:131)",
            "\t... 6 more");

    static ExceptionFingerprint fp(String stack) {
        return ExceptionFingerprint.of(ThrowableInfo.parse(stack), APP, 3);
    }

    @Test
    void theSameBugInTwoVersionsWithShiftedLinesAndAProxyHasOneFingerprint() {
        ExceptionFingerprint a = fp(V14), b = fp(V15);

        assertThat(b.id()).isEqualTo(a.id());
        assertThat(a.frames()).containsExactly("com.example.shop.PricingService.price", "com.example.shop.OrderController.lambda$create",
                "com.example.shop.OrderController.create");
        assertThat(a.rootCauseType()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(a.template()).isEqualTo("java.lang.IllegalStateException @ com.example.shop.PricingService.price > "
                + "com.example.shop.OrderController.lambda$create > com.example.shop.OrderController.create"
                + " | root java.lang.ClassNotFoundException @ com.example.shop.PricingService.rule");
    }

    @Test
    void differentRootCausesGiveTwoFingerprints() {
        String otherRoot = V14.replace("Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule",
                "Caused by: java.net.SocketTimeoutException: Read timed out");

        assertThat(fp(otherRoot).id()).isNotEqualTo(fp(V14).id());
        assertThat(fp(otherRoot).rootCauseType()).isEqualTo("java.net.SocketTimeoutException");
    }

    @Test
    void anotherThrowPlaceIsAnotherBug() {
        String elsewhere = V14.replace("PricingService.price(", "PricingService.quote(");
        assertThat(fp(elsewhere).id()).isNotEqualTo(fp(V14).id());
    }

    @Test
    void normalisesGeneratedNames() {
        assertThat(ExceptionFingerprint.normaliseFrame("com.example.Foo$$EnhancerBySpringCGLIB$$1a2b3c4d.bar(<generated>)"))
                .isEqualTo("com.example.Foo.bar");
        assertThat(ExceptionFingerprint.normaliseFrame("com.example.Foo$$Lambda$412/0x0000000800c4b440.apply(Unknown Source)"))
                .isEqualTo("com.example.Foo.apply");
        assertThat(ExceptionFingerprint.normaliseFrame("com.example.Foo$1.run(Foo.java:10)")).isEqualTo("com.example.Foo.run");
        assertThat(ExceptionFingerprint.normaliseFrame("com.example.Foo$Inner.lambda$3(Foo.java:10)")).isEqualTo("com.example.Foo$Inner.lambda");
        assertThat(ExceptionFingerprint.normaliseFrame("com.sun.proxy.$Proxy231.find(Unknown Source)")).isEqualTo("$Proxy.find");
        assertThat(ExceptionFingerprint.normaliseFrame("app//com.example.Cache$7f3a9c2e11.get(Cache.java:3)")).isEqualTo("com.example.Cache.get");
        assertThat(ExceptionFingerprint.normaliseFrame("com.example.Foo.access$000(Foo.java:1)")).isEqualTo("com.example.Foo.access");
    }

    @Test
    void aFailureInsideLibrariesIsFingerprintedByTheLibraryFrames() {
        String stack = "java.net.ConnectException: Connection refused\n\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n"
                + "\tat java.base/sun.nio.ch.Net.connect(Net.java:579)";
        assertThat(fp(stack).frames()).containsExactly("sun.nio.ch.Net.connect0", "sun.nio.ch.Net.connect");
    }

    @Test
    void configuredPackagesDecideWhatIsTheApplication() {
        AppPackages only = AppPackages.of(List.of("com.example.shop.OrderController"));
        ExceptionFingerprint f = ExceptionFingerprint.of(ThrowableInfo.parse(V14), only, 3);
        assertThat(f.frames()).containsExactly("com.example.shop.OrderController.lambda$create", "com.example.shop.OrderController.create");
    }
}
