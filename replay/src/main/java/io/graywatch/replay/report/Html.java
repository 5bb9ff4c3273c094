package io.graywatch.replay.report;

import java.util.Locale;

/** Escaping and the inline SVG chart of the report; everything the page shows is in the page. */
final class Html {
    private static final int W = 640, H = 170, LEFT = 56, RIGHT = 8, TOP = 10, BOTTOM = 22;

    private Html() {
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A finding's evidence as {@code name=value name=value}, in its order, numbers as {@link #num} writes them (not escaped). */
    static String evidence(java.util.Map<String, Double> e) {
        StringBuilder sb = new StringBuilder();
        e.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(num(v)));
        return sb.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "–";
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "−∞";
        return String.format(Locale.ROOT, Math.abs(v) >= 1000 || v == Math.rint(v) ? "%.0f" : "%.3g", v);
    }

    /** A line chart: release group in red, reference group in blue, batches dashed, onset orange, decision black. */
    static String svg(Chart c) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] arr : new double[][]{c.release(), c.reference()}) {
            for (double v : arr) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        if (hi == lo) hi = lo + 1;
        long t0 = c.times()[0], t1 = c.times()[c.times().length - 1];
        double span = Math.max(1, t1 - t0);
        double fLo = lo, fHi = hi;
        java.util.function.LongToDoubleFunction x = t -> LEFT + (W - LEFT - RIGHT) * (t - t0) / span;
        java.util.function.DoubleUnaryOperator y = v -> TOP + (H - TOP - BOTTOM) * (1 - (v - fLo) / (fHi - fLo));
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" role=\"img\"><title>").append(esc(c.subject())).append("</title>");
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#ccc\"/>", LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>", LEFT - 4, TOP + 8, esc(num(hi))));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>", LEFT - 4, H - BOTTOM, esc(num(lo))));
        for (long b : c.batches()) vline(sb, x.applyAsDouble(b), "#888", "4,3");
        if (c.onset() != null) vline(sb, x.applyAsDouble(c.onset()), "#e69500", "2,2");
        if (c.decidedAt() != null) vline(sb, x.applyAsDouble(c.decidedAt()), "#000", "");
        polyline(sb, c.times(), c.reference(), x, y, "#1f6fd1");
        polyline(sb, c.times(), c.release(), x, y, "#d62728");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s  <tspan fill=\"#d62728\">■ release group</tspan> "
                        + "<tspan fill=\"#1f6fd1\">■ reference group</tspan> <tspan fill=\"#888\">┊ batch</tspan> <tspan fill=\"#e69500\">┊ onset</tspan> ┃ decision</text>",
                LEFT, H - 6, esc(c.subject() + (c.unit().isEmpty() ? "" : " (" + c.unit() + ")"))));
        return sb.append("</svg>").toString();
    }

    private static void vline(StringBuilder sb, double x, String color, String dash) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\"%s/>", x, x, TOP, H - BOTTOM, color,
                dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
    }

    private static void polyline(StringBuilder sb, long[] t, double[] v, java.util.function.LongToDoubleFunction x,
                                 java.util.function.DoubleUnaryOperator y, String color) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i <= t.length; i++) {
            boolean ok = i < t.length && Double.isFinite(v[i]);
            if (ok) pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(t[i]), y.applyAsDouble(v[i])));
            if (!ok && pts.length() > 0) {
                sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.3\" points=\"").append(pts.toString().strip()).append("\"/>");
                pts.setLength(0);
            }
        }
    }
}
