package org.hiddenactivity.render;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import java.util.List;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.hiddenactivity.core.HavException;

/** Figures put together: side by side (before / after training) or in a grid (one thumbnail per layer). */
public final class Panels {
    private static final Palette.Rgb BACKGROUND = Palette.WHITE;
    private static final Palette.Rgb INK = new Palette.Rgb(30, 30, 30);

    private Panels() {}

    /**
     * The figures in one row, each scaled to the same height (that of the tallest, or less if the row would be
     * wider than {@link Figure#MAX_SIDE}), each with its caption above it and {@code title} on top. The
     * inputs are not closed.
     */
    public static Figure sideBySide(List<Figure> figures, List<String> captions, String title) {
        return grid(figures, figures.size(), captions, title);
    }

    /** The figures in rows of {@code columns}, each cell as large as the largest figure (scaled to fit). */
    public static Figure grid(List<Figure> figures, int columns, List<String> captions, String title) {
        if (figures.isEmpty() || columns < 1) {
            throw new HavException("panels", "nothing to put together", "pass at least one figure");
        }
        if (captions != null && !captions.isEmpty() && captions.size() != figures.size()) {
            throw new HavException("panels", figures.size() + " figures but " + captions.size() + " captions",
                    "pass one caption per figure, or none");
        }
        int cellW = 0;
        int cellH = 0;
        for (Figure f : figures) {
            cellW = Math.max(cellW, f.width());
            cellH = Math.max(cellH, f.height());
        }
        int cols = Math.min(columns, figures.size());
        int rows = (figures.size() + cols - 1) / cols;
        // Text scale from the cell size so captions stay readable when cells are shrunk.
        double gap = Math.max(8, cellW * 0.02);
        double scale = Math.min(1.0, Math.min((Figure.MAX_SIDE - gap * (cols + 1)) / (cols * cellW),
                (Figure.MAX_SIDE * 0.9 - gap * (rows + 1)) / (rows * cellH)));
        int w = (int) Math.round(cellW * scale);
        int h = (int) Math.round(cellH * scale);
        int g = (int) Math.round(gap * scale);
        boolean hasCaptions = captions != null && !captions.isEmpty();
        int captionBand = hasCaptions ? (int) Math.round(Math.max(14, h * 0.05)) : 0;
        int titleBand = title == null || title.isEmpty() ? 0 : (int) Math.round(Math.max(18, h * 0.07));
        int width = cols * w + (cols + 1) * g;
        int height = titleBand + rows * (h + captionBand) + (rows + 1) * g;
        Figure out = Figure.blank(Math.max(width, 16), Math.max(height, 16), BACKGROUND);
        try (Draw d = new Draw(out)) {
            double textRel = Math.max(0.4, h / 1700.0) / d.fontScale;
            if (titleBand > 0) {
                d.text(title, g, g + titleBand * 0.75, 1.5 * textRel, INK);
            }
            for (int i = 0; i < figures.size(); i++) {
                int col = i % cols;
                int row = i / cols;
                int x = g + col * (w + g);
                int y = titleBand + g + row * (h + captionBand + g);
                if (hasCaptions) {
                    d.text(captions.get(i), x, y + captionBand * 0.75, textRel, INK);
                }
                Figure f = figures.get(i);
                int fw = (int) Math.round(f.width() * scale);
                int fh = (int) Math.round(f.height() * scale);
                try (Rect rect = new Rect(x, y + captionBand, fw, fh); Mat cell = new Mat(out.mat(), rect)) {
                    if (fw == f.width() && fh == f.height()) {
                        f.mat().copyTo(cell);
                    } else {
                        try (Size size = new Size(fw, fh)) {
                            opencv_imgproc.resize(f.mat(), cell, size, 0, 0, fw < f.width() ? INTER_AREA : INTER_LINEAR);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }
}
