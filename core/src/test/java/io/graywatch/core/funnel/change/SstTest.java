package io.graywatch.core.funnel.change;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SstTest {
    @Test
    void aNewOscillationScoresFarAboveASmoothContinuation() {
        Random r = new Random(5);
        double[] smooth = new double[40], oscillating = new double[40];
        for (int i = 0; i < 40; i++) {
            double base = Math.sin(i / 6.0) + 0.02 * r.nextGaussian();
            smooth[i] = base;
            oscillating[i] = base + (i >= 20 ? 1.5 * (i % 2 == 0 ? 1 : -1) : 0);
        }
        assertThat(Sst.score(smooth, 20)).isLessThan(0.1);
        assertThat(Sst.score(oscillating, 20)).isGreaterThan(0.5);
    }

    /**
     * The Lanczos shortcut must agree with the definition, 1 − |projection of the test pattern on
     * the past's top-r subspace|²: exactly with a full Krylov space, closely with the 2r − 1 steps used.
     */
    @Test
    void krylovApproximationAgreesWithFullSvd() {
        Random r = new Random(17);
        double[] errors = new double[300];
        double worstExact = 0;
        for (int k = 0; k < errors.length; k++) {
            double[] x = new double[40];
            double level = 0;
            for (int i = 0; i < 40; i++) {
                level = 0.8 * level + r.nextGaussian();
                x[i] = level + (i >= 20 ? (k % 4) * Math.sin(i) : 0);
            }
            double exact = exact(x, 20);
            errors[k] = Math.abs(Sst.score(x, 20) - exact);
            worstExact = Math.max(worstExact, Math.abs(Sst.score(x, 20, Sst.WINDOW) - exact));
        }
        assertThat(worstExact).isLessThan(1e-6);
        Arrays.sort(errors);
        assertThat(errors[errors.length / 2]).isLessThan(0.02);
        assertThat(errors[(int) (errors.length * 0.95)]).isLessThan(0.3);
    }

    @Test
    void needsEnoughSamplesOnBothSides() {
        double[] x = new double[30];
        assertThat(Sst.score(x, Sst.needBefore() - 1)).isNaN();
        assertThat(Sst.score(x, x.length - Sst.needAfter() + 1)).isNaN();
        assertThat(Sst.score(x, 20)).isBetween(0.0, 1.0);
    }

    @Test
    void scoreStaysWithinZeroAndOne() {
        Random r = new Random(9);
        for (int k = 0; k < 200; k++) {
            double[] x = new double[40];
            for (int i = 0; i < 40; i++) x[i] = r.nextGaussian() * (i >= 20 ? 1 + k % 5 : 1);
            assertThat(Sst.score(x, 20)).isBetween(0.0, 1.0);
        }
    }

    /** Reference implementation with full SVDs, written from the definition. */
    private static double exact(double[] x, int cp) {
        int w = Sst.WINDOW, n = Sst.COLUMNS, a = cp - n - w + 1;
        double mean = 0, var = 0;
        for (int i = a; i < cp; i++) mean += x[i];
        mean /= cp - a;
        for (int i = a; i < cp; i++) var += (x[i] - mean) * (x[i] - mean);
        double sd = Math.sqrt(var / (cp - a));
        DMatrixRMaj past = new DMatrixRMaj(w, n), test = new DMatrixRMaj(w, n);
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < w; p++) {
                past.set(p, j, (x[a + j + p] - mean) / sd);
                test.set(p, j, (x[a + j + p + Sst.LAG] - mean) / sd);
            }
        }
        DMatrixRMaj u = leftSingular(past);
        DMatrixRMaj beta = leftSingular(test);
        double proj = 0;
        for (int i = 0; i < Sst.RANK; i++) {
            double d = 0;
            for (int p = 0; p < w; p++) d += u.get(p, i) * beta.get(p, 0);
            proj += d * d;
        }
        return 1 - proj;
    }

    private static DMatrixRMaj leftSingular(DMatrixRMaj m) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m.numRows, m.numCols, true, false, false);
        svd.decompose(m.copy());
        DMatrixRMaj u = svd.getU(null, false);
        double[] s = svd.getSingularValues();
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < s.length; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Double.compare(s[q], s[p]));
        DMatrixRMaj sorted = new DMatrixRMaj(u.numRows, s.length);
        for (int c = 0; c < s.length; c++) for (int r = 0; r < u.numRows; r++) sorted.set(r, c, u.get(r, order[c]));
        return sorted;
    }
}
