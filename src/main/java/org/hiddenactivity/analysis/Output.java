package org.hiddenactivity.analysis;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A file an analysis result asks for. The analysis only declares it; {@link Outputs} draws and writes it, so that
 * every file of every analysis is written in one place (the CLI commands and the report alike).
 */
public sealed interface Output {
    /**
     * A figure, drawn only when written, saved as {@code STEM.png} and {@code STEM_thumb.png}.
     *
     * @param key  how the page and the CLI find the written files ({@code Outputs.Written#figure})
     * @param draw draws the figure; the caller closes it
     */
    record Figure(String key, String stem, Supplier<org.hiddenactivity.render.Figure> draw) implements Output {}

    /** Any other file (an array, a table, the result's JSON), written by {@code write} to the path it is given. */
    record Data(String file, Consumer<Path> write) implements Output {}
}
