package io.graywatch.core.logs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateMinerTest {

    @Test
    void theTwoTimeoutLinesOfTheIssueAreOneTemplate() {
        TemplateMiner m = TemplateMiner.withDefaults();
        int a = m.add("timeout after 3000 ms calling 10.2.3.4");
        int b = m.add("timeout after 5000 ms calling 10.2.3.9");

        assertThat(b).isEqualTo(a);
        assertThat(m.template(a)).isEqualTo("timeout after <*> ms calling <*>");
    }

    @Test
    void wordsThatVaryBecomeWildcardsAndOtherMessagesStayApart() {
        TemplateMiner m = TemplateMiner.withDefaults();
        int a = m.add("user alice logged in from web");
        int b = m.add("user bob logged in from web");
        int c = m.add("user alice logged out");
        int d = m.add("disk full on volume data");

        assertThat(b).isEqualTo(a);
        assertThat(m.template(a)).isEqualTo("user <*> logged in from web");
        assertThat(m.revision(a)).isEqualTo(1);
        assertThat(c).isNotEqualTo(a);
        assertThat(d).isNotIn(a, c);
        assertThat(m.size()).isEqualTo(3);
    }

    @Test
    void aVaryingFirstWordStillFindsItsTemplateButShortMessagesStayApart() {
        TemplateMiner m = TemplateMiner.withDefaults();
        int a = m.add("stock-service answered in 12 ms");
        int b = m.add("pricing-service answered in 40 ms");
        int c = m.add("order 7 created");
        int d = m.add("user 9 created");

        assertThat(b).isEqualTo(a);
        assertThat(m.template(a)).isEqualTo("<*> answered in <*> ms");
        assertThat(m.add("user-service answered in 3 ms")).isEqualTo(a);
        assertThat(d).isNotEqualTo(c);
    }

    @Test
    void masksNumbersAddressesIdsAndHex() {
        assertThat(TemplateMiner.mask("10.2.3.4:8080")).isEqualTo("<*>");
        assertThat(TemplateMiner.mask("blk_-38865049064139660")).isEqualTo("blk_-<*>");
        assertThat(TemplateMiner.mask("id=123e4567-e89b-12d3-a456-426614174000,")).isEqualTo("id=<*>,");
        assertThat(TemplateMiner.mask("0x7f3a")).isEqualTo("<*>");
        assertThat(TemplateMiner.mask("3000ms")).isEqualTo("<*>ms");
        assertThat(TemplateMiner.mask("HTTP/1.1")).isEqualTo("HTTP/<*>");
        assertThat(TemplateMiner.mask("session=9f86d081884c7d65")).isEqualTo("session=<*>");
        assertThat(TemplateMiner.mask("words")).isEqualTo("words");
    }

    @Test
    void templatesFromTwoHostsAreRecognisedAsTheSameShape() {
        assertThat(TemplateMiner.sameShape("user <*> logged in", "user alice logged in")).isTrue();
        assertThat(TemplateMiner.sameShape("user <*> logged in", "user <*> logged out")).isFalse();
        assertThat(TemplateMiner.sameShape("<*> <*> failed", "disk <*> failed")).isFalse();
        assertThat(TemplateMiner.sameShape("a b", "a b c")).isFalse();
    }
}
