package io.graywatch.core.metric;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesTest {
    private static final long[] T = {60, 120, 180, 240, 300};

    @Test
    void aWindowIsItsOwnSamplesOnly() {
        Series s = Series.of(T, new double[]{1, 2, 3, 4, 5}).between(120, 241);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.times()).containsExactly(120, 180, 240);
        assertThat(s.values()).containsExactly(2, 3, 4);
        assertThat(s.upTo(180).values()).containsExactly(2, 3);
        assertThat(s).isEqualTo(Series.of(new long[]{120, 180, 240}, new double[]{2, 3, 4}));
        assertThat(s.hashCode()).isEqualTo(Series.of(new long[]{120, 180, 240}, new double[]{2, 3, 4}).hashCode());
        // the arrays go on beyond the window: reading there must fail as it would on a copy
        assertThatThrownBy(() -> s.value(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.time(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void missingValuesAreCountedPerWindow() {
        Series s = Series.of(T, new double[]{1, Double.NaN, 3, 4, Double.POSITIVE_INFINITY});
        assertThat(s.finiteBetween(0, 1)).isTrue();
        assertThat(s.finiteBetween(0, 2)).isFalse();
        assertThat(s.finiteBetween(2, 4)).isTrue();
        Series w = s.between(180, 1000);
        assertThat(w.finiteBetween(0, 2)).isTrue();
        assertThat(w.finiteBetween(0, 3)).isFalse();
        assertThat(w.finiteValues()).containsExactly(3, 4);
    }

    @Test
    void seriesWithTheSameTimesShareThem() {
        Series a = Series.of(T, new double[]{1, 2, 3, 4, 5});
        Series b = Series.of(T.clone(), new double[]{5, 4, 3, 2, 1});
        assertThat(b.sameTimes(a)).isFalse();
        Series shared = b.sharingTimes(a);
        assertThat(shared).isEqualTo(b);
        assertThat(shared.sameTimes(a)).isTrue();
        // windows cut at the same moments still line up; others do not
        assertThat(shared.upTo(180).sameTimes(a.upTo(180))).isTrue();
        assertThat(shared.upTo(180).sameTimes(a.upTo(240))).isFalse();
        Series other = Series.of(new long[]{60, 120, 180, 240, 301}, new double[]{1, 2, 3, 4, 5});
        assertThat(other.sharingTimes(a)).isSameAs(other);
    }
    @Test
    void theNewProcesssFirstSampleIsTheOneAfterTheRestartNotTheOldOnesLastScrape() {
        long sw = 1000;
        // scraped 10 s after the switch, then silent for a scrape while the new process boots: that one was the old process's
        Series restarted = Series.of(new long[]{960, 1010, 1130, 1190}, new double[]{1, 1, 9, 5});
        assertThat(restarted.firstAfterRestart(sw, 60, 2000)).isEqualTo(2);
        // switched in place and scraped on: the sample 10 s after the switch covers 50 s of the old version, the next is the first
        Series inPlace = Series.of(new long[]{960, 1010, 1070, 1130}, new double[]{1, 3, 9, 5});
        assertThat(inPlace.firstAfterRestart(sw, 60, 2000)).isEqualTo(2);
        assertThat(inPlace.firstAfterRestart(sw, 60, 1060)).isEqualTo(-1);
        // five-minute points, the switch two minutes into one: the next point holds mostly the new version and is its first
        Series coarse = Series.of(new long[]{600, 900, 1200, 1500}, new double[]{1, 1, 9, 5});
        assertThat(coarse.firstAfterRestart(1020, 300, 2000)).isEqualTo(2);
        assertThat(coarse.reportingAt(1020, 300)).isTrue();
        assertThat(coarse.reportingAt(1400, 300)).isTrue();
        assertThat(Series.of(new long[]{500, 700}, new double[]{1, Double.NaN}).reportingAt(1020, 300)).isFalse();
        // a new instance's first sample covers its own seconds only
        Series fresh = Series.of(new long[]{1010, 1070, 1130}, new double[]{9, 5, 3});
        assertThat(fresh.firstAfterRestart(sw, 60, 2000)).isZero();
        // ... unless the scrape after it is missed: then it was the old process's (a series continued across a succession)
        assertThat(Series.of(new long[]{1010, 1130, 1190}, new double[]{1, 9, 5}).firstAfterRestart(sw, 60, 2000)).isEqualTo(1);
        // a first sample a full step or more after the switch is the new process's, whatever follows
        assertThat(Series.of(new long[]{960, 1070, 1200}, new double[]{1, 9, 5}).firstAfterRestart(sw, 60, 2000)).isEqualTo(1);
        // missing values are not samples
        assertThat(Series.of(new long[]{960, 1010, 1070, 1130}, new double[]{1, 1, Double.NaN, 9}).firstAfterRestart(sw, 60, 2000)).isEqualTo(3);
        // a new instance's sample just after the switch whose next scrape is late at now may be either: none is taken until it tells
        Series early = Series.of(new long[]{1010}, new double[]{1});
        assertThat(early.firstAfterRestart(sw, 60, 1060)).isZero();
        assertThat(early.firstAfterRestart(sw, 60, 1090)).isEqualTo(-1);
        // samples after now are not seen
        assertThat(restarted.firstAfterRestart(sw, 60, 1005)).isEqualTo(-1);
    }

    @Test
    void aRestartMissesTwoScrapesAndALostScrapeOneWithHalfAStepOfRoom() {
        assertThat(Series.restartGap(150, 60)).isTrue();
        assertThat(Series.restartGap(149, 60)).isFalse();
        assertThat(Series.missedScrape(90, 60)).isTrue();
        assertThat(Series.missedScrape(89, 60)).isFalse();
    }
}
