package org.hiddenactivity.data;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;

/** The {@code --class-names} option: "a,b,c", or a text file (UTF-8) with one name per line. */
final class ClassNames {
    private static final long MAX_FILE = 16L << 20;

    private ClassNames() {}

    /** The names, or null when {@code option} is null. */
    static List<String> parse(String option) {
        if (option == null) {
            return null;
        }
        Path file = asFile(option);
        List<String> names = new ArrayList<>();
        String subject;
        if (file != null) {
            subject = file.toString();
            byte[] bytes = InputFiles.readAll(file, "a text file of class names", MAX_FILE,
                    "a file of class names is small");
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new HavException(subject, "not UTF-8 text", "save the class names as UTF-8, one per line");
            }
            text.lines().map(String::strip).filter(s -> !s.isEmpty()).forEach(names::add);
        } else {
            subject = "--class-names " + option;
            for (String part : option.split(",", -1)) {
                String name = part.strip();
                if (name.isEmpty()) {
                    throw new HavException(subject, "an empty class name", "separate names with single commas: a,b,c");
                }
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw new HavException(subject, "no class names", "give one name per class");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new HavException(subject, "class name '" + n + "' appears twice", "give each class its own name");
            }
        }
        return List.copyOf(names);
    }

    /** The option as a file when it names an existing one (a list "a,b" is never a file here). */
    private static Path asFile(String option) {
        try {
            Path p = Path.of(option);
            return Files.exists(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** "0", "1", ... for data that does not name its classes. */
    static List<String> numbered(int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
