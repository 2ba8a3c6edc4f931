package org.hiddenactivity.render;

/**
 * Maps data coordinates to pixels inside a plot rectangle with a margin, with one scale for both axes (a
 * projection's distances mean the same in x and y). A zero range (all points equal, or one point) puts the
 * points in the middle instead of dividing by zero. Image y grows downwards, data y upwards.
 */
final class PlotFrame {
    final double left;
    final double top;
    final double width;
    final double height;
    private final double scale;
    private final double cx;
    private final double cy;

    /** @param xy interleaved x, y data points (may be empty) */
    PlotFrame(double left, double top, double width, double height, float[] xy, double marginFraction) {
        this.left = left;
        this.top = top;
        this.width = width;
        this.height = height;
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i + 1 < xy.length; i += 2) {
            if (Float.isFinite(xy[i]) && Float.isFinite(xy[i + 1])) {
                minX = Math.min(minX, xy[i]);
                maxX = Math.max(maxX, xy[i]);
                minY = Math.min(minY, xy[i + 1]);
                maxY = Math.max(maxY, xy[i + 1]);
            }
        }
        if (minX > maxX) {
            minX = maxX = minY = maxY = 0;
        }
        double usableW = width * (1 - 2 * marginFraction);
        double usableH = height * (1 - 2 * marginFraction);
        double rx = maxX - minX;
        double ry = maxY - minY;
        double s = Double.POSITIVE_INFINITY;
        if (rx > 0) {
            s = usableW / rx;
        }
        if (ry > 0) {
            s = Math.min(s, usableH / ry);
        }
        this.scale = Double.isInfinite(s) ? 1.0 : s;
        this.cx = (minX + maxX) / 2;
        this.cy = (minY + maxY) / 2;
    }

    double px(double x) {
        return left + width / 2 + (x - cx) * scale;
    }

    double py(double y) {
        return top + height / 2 - (y - cy) * scale;
    }
}
