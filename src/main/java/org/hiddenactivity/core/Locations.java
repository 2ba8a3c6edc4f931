package org.hiddenactivity.core;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where caches and outputs go. The cache: {@code --cache-dir}, else {@code -Dhav.cache}, else {@code HAV_CACHE},
 * else the installation's {@code generated/cache} when it can be written, else the user cache
 * ({@code ~/.cache/hidden-activity}). Outputs: the installation's {@code generated/} when writable, else
 * {@code ~/.local/share/hidden-activity}. A read-only installation thus works without any option.
 */
public final class Locations {
    private Locations() {}

    /** The cache root for a run; {@code explicit} is {@code --cache-dir} (or null). */
    public static Path cacheRoot(Path explicit, Path installRoot) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        String configured = System.getProperty("hav.cache");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("HAV_CACHE");
        }
        if (configured != null && !configured.isBlank()) {
            return InputFiles.path(configured, "HAV_CACHE").toAbsolutePath().normalize();
        }
        Path inInstall = installRoot.resolve("generated").resolve("cache");
        return writable(inInstall) ? inInstall : userCache();
    }

    /** The folder under which reports and analyses are written when --out is not given. */
    public static Path outputRoot(Path installRoot) {
        Path inInstall = installRoot.resolve("generated");
        if (writable(inInstall)) {
            return inInstall;
        }
        Path home = Path.of(System.getProperty("user.home"), ".local", "share", "hidden-activity");
        Warnings.warnOnce("output-root", installRoot + " is not writable; outputs go to " + home
                + " (give --out to choose)");
        return home;
    }

    /** {@code ~/.cache/hidden-activity} (or $XDG_CACHE_HOME/hidden-activity). */
    public static Path userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("hidden-activity");
    }

    /** True when {@code dir} is a writable folder, or could be created under its nearest existing ancestor. */
    public static boolean writable(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && Files.isDirectory(p) && Files.isWritable(p);
    }
}
