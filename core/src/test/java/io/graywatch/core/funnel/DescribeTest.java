package io.graywatch.core.funnel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DescribeTest {
    @Test
    void numbersCarryTwoSignificantDigitsAndWholeNumbersFromAHundredOn() {
        assertThat(Describe.number(4.123)).isEqualTo("4.1");
        assertThat(Describe.number(0.3051)).isEqualTo("0.31");
        assertThat(Describe.number(47.4)).isEqualTo("47");
        assertThat(Describe.number(99.2)).isEqualTo("99");
        assertThat(Describe.number(247.4)).isEqualTo("247");
        assertThat(Describe.number(2905)).isEqualTo("2905");
        assertThat(Describe.number(-0.0712)).isEqualTo("-0.071");
        assertThat(Describe.value(818.4, "MB")).isEqualTo("818 MB");
    }

    @Test
    void valuesSideBySideShowTheDifferenceBetweenThem() {
        // a success rate that lost a point must not read "100% vs 100%"
        assertThat(Describe.value(99.04, "percent", 0.96)).isEqualTo("99.04%");
        assertThat(Describe.value(99.998, "percent", 0.96)).isEqualTo("100%");
        assertThat(Describe.value(98.2, "percent", 1.8)).isEqualTo("98.2%");
        assertThat(Describe.value(295.4, "ms", 41)).isEqualTo("295 ms");
        assertThat(Describe.value(0.31, "percent", 5)).isEqualTo("0.31%");
        assertThat(Describe.value(Double.NaN, "ms", 1)).isEqualTo("no data");
    }
}
