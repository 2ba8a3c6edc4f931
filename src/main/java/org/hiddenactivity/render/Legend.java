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
    private double y;

    Legend(Draw d, double left, double top, Palette.Rgb ink) {
        this.d = d;
        this.left = left;
        this.ink = ink;
        this.y = top + d.lineHeight(1.0);
    }

    void heading(String text) {
        d.text(text, left, y, 1.1, ink);
        y += d.lineHeight(1.1) * 1.2;
    }

    void entry(String text, Swatch swatch) {
        double r = d.lineHeight(1.0) * 0.28;
        swatch.draw(left + r, y - r * 1.1, r);
        d.text(text, left + 3.2 * r, y, 1.0, ink);
        y += d.lineHeight(1.0);
    }

    void small(String text) {
        d.text(text, left, y, 0.75, ink);
        y += d.lineHeight(0.75);
    }

    void gap() {
        y += d.lineHeight(1.0) * 0.5;
    }

    double y() {
        return y;
    }
}
