/**
 * Figures drawn with OpenCV: {@link org.hiddenactivity.render.ScatterPlot},
 * {@link org.hiddenactivity.render.TrailPlot}, {@link org.hiddenactivity.render.NeuronMap},
 * {@link org.hiddenactivity.render.Panels}, {@link org.hiddenactivity.render.Thumbnails}; each returns a
 * {@link org.hiddenactivity.render.Figure} (AutoCloseable, written as PNG atomically). Colours in
 * {@link org.hiddenactivity.render.Palette}. Drawing helpers (Draw, Layout, Legend, PlotFrame) are package-private.
 */
package org.hiddenactivity.render;
