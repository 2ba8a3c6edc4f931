package org.hiddenactivity.model;

import java.nio.file.Path;
import org.hiddenactivity.core.Locations;

/**
 * Where the project lives: system property {@code hav.home}, else environment variable {@code HAV_HOME}, else the
 * current folder. Reference models are under {@code models/}, caches under {@code generated/cache/}.
 */
public final class ProjectHome {
    private ProjectHome() {}

    public static Path root() {
        String home = System.getProperty("hav.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("HAV_HOME");
        }
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }

    /** {@code <root>/models}: one folder of checkpoints (and a manifest.json) per reference model. */
    public static Path modelsDir() {
        return root().resolve("models");
    }

    /** The default activation cache: {@code activations/} under {@link Locations#cacheRoot}. */
    public static Path activationCacheDir() {
        return Locations.cacheRoot(null, root()).resolve("activations");
    }
}
