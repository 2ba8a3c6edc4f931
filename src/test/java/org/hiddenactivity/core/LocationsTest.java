package org.hiddenactivity.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationsTest {
    @TempDir
    Path dir;

    @Test
    void theCacheFollowsTheOptionThenTheSettingThenAWritableInstallThenTheUserCache() throws IOException {
        Path install = Files.createDirectories(dir.resolve("install"));
        String previous = System.getProperty("hav.cache");
        System.clearProperty("hav.cache");
        try {
            assertEquals(dir.resolve("given"), Locations.cacheRoot(dir.resolve("given"), install));
            if (System.getenv("HAV_CACHE") == null) {
                assertEquals(install.resolve("generated").resolve("cache"), Locations.cacheRoot(null, install));
                // an installation whose generated/ cannot be a folder (here: a file) is read-only to us
                Path readOnly = Files.createDirectories(dir.resolve("ro"));
                Files.writeString(readOnly.resolve("generated"), "not a folder");
                assertEquals(Locations.userCache(), Locations.cacheRoot(null, readOnly));
            }
            System.setProperty("hav.cache", dir.resolve("prop").toString());
            assertEquals(dir.resolve("prop"), Locations.cacheRoot(null, install));
        } finally {
            if (previous == null) {
                System.clearProperty("hav.cache");
            } else {
                System.setProperty("hav.cache", previous);
            }
        }
    }
}
