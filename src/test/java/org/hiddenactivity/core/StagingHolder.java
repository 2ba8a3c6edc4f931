package org.hiddenactivity.core;

import java.nio.file.Path;

/** A child process for {@link StagedOutputTest}: begins a staged output, says so, and waits to be killed. */
public final class StagingHolder {
    private StagingHolder() {}

    public static void main(String[] args) throws InterruptedException {
        StagedOutput staged = StagedOutput.begin(Path.of(args[0]), "--out");
        System.out.println("staged " + staged.dir());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
