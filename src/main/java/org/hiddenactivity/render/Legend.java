package org.hiddenactivity.render;

/** A legend column: a swatch drawn by the caller, then the entry's text, one line each. */
final class Legend {
    /** Draws a swatch centred at (x, y) with radius r. */
    interface Swatch {
        void draw(double x, double y, double r);
    }

    private final Draw d;
    private final double left;
    private final Palette.Rgb ink;
    /** Relative size of secondary legend text. */
    static final double SMALL = 0.9;
    private final double right;
    private double y;

    /** @param right the x the text must not pass (long texts are drawn smaller to fit) */
    Legend(Draw d, double left, double top, double right, Palette.Rgb ink) {
        this.d = d;
        this.left = left;
        this.right = right;
        this.ink = ink;
        this.y = top + d.lineHeight(1.0);
    }

    /** Draws {@code text} at {@code relSize}, or smaller if it would pass the right edge. */
    private void fit(String text, double x, double relSize) {
        int width = d.textSize(text, relSize)[0];
        double size = width > right - x ? relSize * Math.max(0.3, (right - x) / width) : relSize;
        d.text(text, x, y, size, ink);
    }

    void heading(String text) {
        fit(text, left, 1.0);
        y += d.lineHeight(1.0) * 1.2;
    }

    void entry(String text, Swatch swatch) {
        double r = d.lineHeight(1.0) * 0.28;
        swatch.draw(left + r, y - r * 1.1, r);
        fit(text, left + 3.2 * r, 1.0);
        y += d.lineHeight(1.0);
    }

    /** Secondary text, {@link #SMALL} of the body size. */
    void small(String text) {
        fit(text, left, SMALL);
        y += d.lineHeight(SMALL);
    }

    /** Leaves {@code pixels} of room (e.g. under a colour bar drawn at {@link #y()}). */
    void skip(double pixels) {
        y += pixels;
    }

    void gap() {
        y += d.lineHeight(1.0) * 0.5;
    }

    double y() {
        return y;
    }
}
