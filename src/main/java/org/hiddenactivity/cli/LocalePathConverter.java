package org.hiddenactivity.cli;

import com.beust.jcommander.IStringConverter;
import com.beust.jcommander.ParameterException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.hiddenactivity.core.InputFiles;

/**
 * Converts a path option. JCommander's own converter says "couldn't convert ... to a path" when the locale cannot
 * represent the name (non-ASCII under {@code LC_ALL=C}); this one says why and what to do.
 */
public final class LocalePathConverter implements IStringConverter<Path> {
    private final String option;

    public LocalePathConverter(String option) {
        this.option = option;
    }

    @Override
    public Path convert(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ParameterException(option + " " + value + ": " + InputFiles.localeProblem() + " ("
                    + InputFiles.localeFix() + ")");
        }
    }
}
