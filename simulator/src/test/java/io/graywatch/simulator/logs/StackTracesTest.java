package io.graywatch.simulator.logs;

import io.graywatch.simulator.fault.ExceptionFault;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackTracesTest {
    static final ExceptionFault CNFE = ExceptionFault.builder("java.lang.ClassNotFoundException", "com.example.shop.pricing.DiscountRule")
            .perSecond(2)
            .at("java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)",
                    "com.example.shop.pricing.RuleLoader.load",
                    "com.example.shop.pricing.PricingService.price")
            .causedBy("java.util.zip.ZipException", "invalid LOC header (bad signature)",
                    "java.base/java.util.zip.ZipFile$ZipFileInputStream.initDataOffset(ZipFile.java:1035)")
            .build();

    private static String print(Throwable t) {
        StringWriter s = new StringWriter();
        t.printStackTrace(new PrintWriter(s));
        return s.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void printsLikeTheJvmWithFramesCauseAndSharedFramesElided() {
        String[] lines = print(StackTraces.toThrowable(CNFE.exception(), new Random(1))).split("\n");
        int frames = 3 + StackTraces.REQUEST_PATH.size();
        assertThat(lines[0]).isEqualTo("java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule");
        assertThat(lines[1]).isEqualTo("\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)");
        assertThat(lines[2]).matches("\tat com\\.example\\.shop\\.pricing\\.RuleLoader\\.load\\(RuleLoader\\.java:\\d+\\)");
        assertThat(lines[frames]).isEqualTo("\tat java.base/java.lang.Thread.run(Thread.java:840)");
        assertThat(lines[frames + 1]).isEqualTo("Caused by: java.util.zip.ZipException: invalid LOC header (bad signature)");
        assertThat(lines[frames + 2]).isEqualTo("\tat java.base/java.util.zip.ZipFile$ZipFileInputStream.initDataOffset(ZipFile.java:1035)");
        // the cause shares every frame below the enclosing exception's top one
        assertThat(lines[frames + 3]).isEqualTo("\t... " + (frames - 1) + " more");
        assertThat(lines).hasSize(frames + 4);
        assertThat(CNFE.exception().rootCauseType()).isEqualTo("java.util.zip.ZipException");
    }

    @Test
    void aFrameWithoutLocationGetsTheSameLineEveryTime() {
        StackTraceElement a = StackTraces.frame("com.example.shop.OrderService$Inner.list");
        assertThat(a.getFileName()).isEqualTo("OrderService.java");
        assertThat(a.getLineNumber()).isPositive().isEqualTo(StackTraces.frame("com.example.shop.OrderService$Inner.list").getLineNumber());
        assertThat(StackTraces.frame("java.base/java.lang.Class.forName0(Native Method)").toString())
                .isEqualTo("java.base/java.lang.Class.forName0(Native Method)");
    }

    @Test
    void badInputIsRejectedWithWhatToFix() {
        assertThatThrownBy(() -> StackTraces.frame("not a frame")).hasMessageContaining("pkg.Class.method");
        assertThatThrownBy(() -> StackTraces.frame("a.B.c(B.java:x)")).hasMessageContaining("line number");
        assertThatThrownBy(() -> ExceptionFault.builder("ClassNotFoundException", "x")).hasMessageContaining("fully qualified");
        assertThatThrownBy(() -> ExceptionFault.builder("a.B", "x").perSecond(-1).build()).hasMessageContaining(">= 0");
    }

    @Test
    void placeholdersVaryTheTextButNotTheShape() {
        Random rng = new Random(3);
        String a = Placeholders.fill("timeout after {timeout} ms calling {ip}", rng);
        String b = Placeholders.fill("timeout after {timeout} ms calling {ip}", rng);
        assertThat(a).matches("timeout after \\d+ ms calling 10\\.\\d+\\.\\d+\\.\\d+");
        assertThat(b).matches("timeout after \\d+ ms calling 10\\.\\d+\\.\\d+\\.\\d+").isNotEqualTo(a);
    }
}
