package io.graywatch.simulator.fault;

/** Ready-made faults of the sample shop service, as bad releases really show them. */
public final class ShopFaults {
    private ShopFaults() {
    }

    /**
     * A class the release needs is missing from its jar, which shipped damaged: every lookup of it
     * fails with {@code java.lang.ClassNotFoundException} thrown from the shop's pricing code,
     * caused by a {@code java.util.zip.ZipException}.
     *
     * @param missingClass e.g. {@code com.example.shop.pricing.DiscountRule}
     */
    public static ExceptionFault classNotFound(String missingClass, double perSecond) {
        return ExceptionFault.builder("java.lang.ClassNotFoundException", missingClass)
                .perSecond(perSecond)
                .at("java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)",
                        "java.base/jdk.internal.loader.ClassLoaders$AppClassLoader.loadClass(ClassLoaders.java:188)",
                        "java.base/java.lang.ClassLoader.loadClass(ClassLoader.java:525)",
                        "java.base/java.lang.Class.forName0(Native Method)",
                        "java.base/java.lang.Class.forName(Class.java:375)",
                        "com.example.shop.pricing.RuleLoader.load(RuleLoader.java:44)",
                        "com.example.shop.pricing.PricingService.price(PricingService.java:87)",
                        "com.example.shop.OrderService.listOrders(OrderService.java:71)")
                .causedBy("java.util.zip.ZipException", "invalid LOC header (bad signature)",
                        "java.base/java.util.zip.ZipFile$ZipFileInputStream.initDataOffset(ZipFile.java:1035)",
                        "java.base/java.util.zip.ZipFile$ZipFileInputStream.read(ZipFile.java:1003)",
                        "java.base/jdk.internal.loader.Resource.getBytes(Resource.java:126)",
                        "java.base/jdk.internal.loader.BuiltinClassLoader.defineClass(BuiltinClassLoader.java:801)",
                        "java.base/jdk.internal.loader.BuiltinClassLoader.findClassOnClassPathOrNull(BuiltinClassLoader.java:741)")
                .logger("com.example.shop.web.GlobalExceptionHandler")
                .message("unhandled exception in GET /api/orders for order {n}")
                .build();
    }
}
