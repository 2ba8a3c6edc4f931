package org.hiddenactivity.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedOutputTest {
    @TempDir
    Path dir;

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailedRunLeavesThePreviousResultAndNoStagingFolder() throws IOException {
        Path target = dir.resolve("out");
        try (StagedOutput s = StagedOutput.begin(target, "--out")) {
            Files.writeString(s.dir().resolve("a.png"), "first");
            Files.createDirectories(s.dir().resolve("figures"));
            Files.writeString(s.dir().resolve("figures").resolve("f.png"), "first");
            s.commit();
        }
        assertEquals("first", Files.readString(target.resolve("a.png")));
        try (StagedOutput s = StagedOutput.begin(target, "--out")) {
            Files.writeString(s.dir().resolve("a.png"), "second, half written");
            // the run fails here: no commit
        }
        assertEquals("first", Files.readString(target.resolve("a.png")));
        assertEquals(List.of("out"), names(dir), "the staging folder is gone");
    }

    @Test
    void aCommitReplacesTheLastRunsEntriesAndKeepsTheUsersFiles() throws IOException {
        Path target = dir.resolve("out");
        try (StagedOutput s = StagedOutput.begin(target, "--out")) {
            Files.writeString(s.dir().resolve("layer5.png"), "old");
            Files.writeString(s.dir().resolve("index.html"), "old");
            s.commit();
        }
        Files.writeString(target.resolve("my-notes.txt"), "mine");
        try (StagedOutput s = StagedOutput.begin(target, "--out")) {
            Files.writeString(s.dir().resolve("index.html"), "new");
            assertEquals(target.resolve("index.html"), s.finalPath(s.dir().resolve("index.html")));
            assertEquals(Map.of("k", List.of(target + "/index.html")),
                    s.finalPaths(Map.of("k", List.of(s.dir() + "/index.html"))));
            s.commit();
        }
        assertEquals(List.of(".hav-outputs", "index.html", "my-notes.txt"), names(target));
        assertEquals("new", Files.readString(target.resolve("index.html")));
        assertEquals(List.of("out"), names(dir));
    }

    @Test
    void aTamperedListNeverMovesAnythingOutsideTheFolder() throws IOException {
        Path target = dir.resolve("out");
        Files.createDirectories(target);
        Files.writeString(dir.resolve("precious.txt"), "keep");
        Files.writeString(target.resolve(StagedOutput.LIST), "../precious.txt\n/etc/passwd\n");
        try (StagedOutput s = StagedOutput.begin(target, "--out")) {
            Files.writeString(s.dir().resolve("index.html"), "new");
            s.commit();
        }
        assertEquals("keep", Files.readString(dir.resolve("precious.txt")));
        assertTrue(Files.exists(Path.of("/etc/passwd")));
    }

    @Test
    void anOutputThatIsAFileOrLiesUnderOneIsRefusedBeforeAnyWork() throws IOException {
        Path file = Files.writeString(dir.resolve("report.html"), "x");
        HavException e = assertThrows(HavException.class, () -> StagedOutput.checkWritableFolder(file, "--out"));
        assertTrue(e.getMessage().contains("existing file") && e.getMessage().contains("--out"), e.getMessage());
        e = assertThrows(HavException.class, () -> StagedOutput.checkWritableFolder(file.resolve("sub"), "--out"));
        assertTrue(e.getMessage().contains("under a file"), e.getMessage());
        e = assertThrows(HavException.class, () -> StagedOutput.checkWritableFile(dir, "--out"));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        assertFalse(Files.exists(file.resolveSibling(".report.html.staging")));
    }

    @Test
    void aRecordCopiedIntoTheFolderDeletesNothingOfTheUsers() throws IOException {
        // issue 18, item 2: a .hav-outputs listing mine.txt and userdir made a report delete both
        Path target = dir.resolve("out");
        Files.createDirectories(target.resolve("userdir"));
        Files.writeString(target.resolve("userdir").resolve("data.csv"), "1,2");
        Files.writeString(target.resolve("mine.txt"), "mine");
        Files.writeString(target.resolve(StagedOutput.LIST), "mine.txt\nuserdir\n"
                + "0000000000000000000000000000000000000000000000000000000000000000  mine.txt\n"
                + "abcd".repeat(16).replace('0', '1').replace('a', 'b') + "  userdir\n");
        try (StagedOutput s = StagedOutput.begin(target, "--out")) {
            Files.writeString(s.dir().resolve("index.html"), "new");
            s.commit();
        }
        assertEquals("mine", Files.readString(target.resolve("mine.txt")));
        assertEquals("1,2", Files.readString(target.resolve("userdir").resolve("data.csv")));
        assertEquals("new", Files.readString(target.resolve("index.html")));
    }

    @Test
    void aUsersEntryWhereTheRunWritesIsKeptUnderAnotherNameAndAChangedOutputIsTheUsers() throws IOException {
        Path target = dir.resolve("out");
        Files.createDirectories(target);
        Files.writeString(target.resolve("index.html"), "my own page");
        try (StagedOutput s = StagedOutput.begin(target, "--out")) {
            Files.writeString(s.dir().resolve("index.html"), "first");
            Files.createDirectories(s.dir().resolve("figures"));
            Files.writeString(s.dir().resolve("figures").resolve("f.json"), "first");
            s.commit();
        }
        assertEquals("my own page", Files.readString(target.resolve("index.html.kept")));
        assertEquals("first", Files.readString(target.resolve("index.html")));
        // the user edits a file inside an output folder: the folder is no longer what hav wrote, so it stays
        Files.writeString(target.resolve("figures").resolve("notes.txt"), "my notes");
        try (StagedOutput s = StagedOutput.begin(target, "--out")) {
            Files.writeString(s.dir().resolve("index.html"), "second");
            s.commit();
        }
        assertEquals("second", Files.readString(target.resolve("index.html")));
        assertEquals("my notes", Files.readString(target.resolve("figures").resolve("notes.txt")));
        assertEquals(List.of(".hav-outputs", "figures", "index.html", "index.html.kept"), names(target));
        assertEquals(List.of("out"), names(dir), "no staging or backup folder is left");
    }

    private List<String> staging(Path target) throws IOException {
        return names(target.getParent()).stream().filter(n -> n.startsWith("." + target.getFileName() + "."))
                .toList();
    }

    @Test
    void aStagingFolderLeftByAKilledRunIsRemovedByTheNextRun() throws Exception {
        // issue 18, item 3: SIGKILL left .NAME.staging-* folders for ever
        Path target = dir.resolve("out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                StagingHolder.class.getName(), target.toString()).redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("staged ")) {
                // the JVM's own start-up lines, if any
            }
            assertTrue(line != null, "the child began its staged output");
            // while the child lives, its folder is not stale: a second run beside it leaves it
            try (StagedOutput s = StagedOutput.begin(target, "--out")) {
                assertEquals(2, staging(target).size(), staging(target).toString());
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor();
        }
        assertEquals(1, staging(target).size(), "the killed run left its staging folder");
        try (StagedOutput s = StagedOutput.begin(target, "--out")) {
            assertEquals(List.of(s.dir().getFileName().toString()), staging(target), "only the new run's folder");
            Files.writeString(s.dir().resolve("index.html"), "new");
            s.commit();
        }
        assertEquals(List.of(), staging(target));
        assertEquals(List.of(".hav-outputs", "index.html"), names(target));
    }

    @Test
    void aStagingFolderWithoutOwnerIsStaleAfterAnHourAndOneWithALiveOwnerNever() throws IOException {
        Path target = dir.resolve("out");
        Path young = Files.createDirectories(dir.resolve(".out.staging-young"));
        Path old = Files.createDirectories(dir.resolve(".out.staging-old"));
        Files.writeString(old.resolve("half.png"), "x");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(StagedOutput.ORPHAN_AGE).minusSeconds(60)));
        Path live = Files.createDirectories(dir.resolve(".out.staging-live"));
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(live.resolve(StagedOutput.OWNER), "pid " + self.pid() + "\nstart "
                + self.info().startInstant().orElseThrow() + "\n");
        Files.setLastModifiedTime(live, java.nio.file.attribute.FileTime.from(java.time.Instant.EPOCH));
        // the same PID with another start time is another process: its owner is gone
        Path reused = Files.createDirectories(dir.resolve(".out.previous-reused"));
        Files.writeString(reused.resolve(StagedOutput.OWNER), "pid " + self.pid() + "\nstart 2001-01-01T00:00:00Z\n");
        Path userFolder = Files.createDirectories(dir.resolve(".out.staging-notes.d"));
        Files.writeString(userFolder.resolve(StagedOutput.OWNER), "pid " + self.pid() + "\nstart "
                + self.info().startInstant().orElseThrow() + "\n");
        Files.createDirectories(dir.resolve("other.staging-x")); // another target's name: not ours to judge
        StagedOutput.removeStaleStaging(target.toAbsolutePath());
        assertTrue(Files.isDirectory(young) && Files.isDirectory(live) && Files.isDirectory(userFolder));
        assertFalse(Files.exists(old));
        assertFalse(Files.exists(reused));
        assertTrue(Files.isDirectory(dir.resolve("other.staging-x")));
    }
}
