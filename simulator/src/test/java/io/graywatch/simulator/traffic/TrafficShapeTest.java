package io.graywatch.simulator.traffic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrafficShapeTest {
    private final NabSeries elb = NabSeries.load("realAWSCloudwatch/elb_request_count_8c0756.csv");

    @Test
    void playsOnePointPerConfiguredSecondsAndInterpolatesBetween() {
        TrafficShape shape = new TrafficShape(elb, 100, 4, 1);
        assertThat(shape.at(0)).isEqualTo(elb.normalizedAt(100));
        assertThat(shape.at(4)).isCloseTo(elb.normalizedAt(101), within(1e-12));
        assertThat(shape.at(2)).isCloseTo((elb.normalizedAt(100) + elb.normalizedAt(101)) / 2, within(1e-12));
        assertThat(shape.at(4 * 10 + 1)).isCloseTo(0.75 * elb.normalizedAt(110) + 0.25 * elb.normalizedAt(111), within(1e-12));
    }

    @Test
    void isAFactorAroundOneOverTheWholeSeries() {
        TrafficShape shape = new TrafficShape(elb, 0, 1, 1);
        double sum = 0;
        for (int i = 0; i < elb.length(); i++) sum += shape.point(i);
        assertThat(sum / elb.length()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void smoothingAveragesConsecutivePoints() {
        TrafficShape shape = new TrafficShape(elb, 0, 1, 3);
        assertThat(shape.point(7)).isCloseTo((elb.normalizedAt(7) + elb.normalizedAt(8) + elb.normalizedAt(9)) / 3, within(1e-12));
    }

    @Test
    void rejectsANonPositiveSpeed() {
        assertThatThrownBy(() -> new TrafficShape(elb, 0, 0, 1)).hasMessageContaining("seconds per NAB point");
    }
}
