package org.hiddenactivity.core;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long step: a bar on a terminal, plain lines in a log, nothing when quiet.
 * Every long loop in the engine reports through this so the CLI decides how it is shown.
 */
public interface Progress extends AutoCloseable {
    /** Advances to {@code done} of {@code total} steps. */
    void step(long done);

    /** A message shown beside the bar (or logged). */
    default void message(String text) {}

    @Override
    void close();

    /** A view that reports {@code offset + done} and leaves closing to this one: for runs made one after another. */
    default Progress offset(long offset) {
        Progress outer = this;
        return new Progress() {
            @Override
            public void step(long done) {
                outer.step(offset + done);
            }

            @Override
            public void message(String text) {
                outer.message(text);
            }

            @Override
            public void close() {}
        };
    }

    /** Shows nothing. */
    Progress NONE = new Progress() {
        @Override
        public void step(long done) {}

        @Override
        public void close() {}
    };

    /** The launcher says whether stderr is a terminal (-Dhav.stderr.tty); without it, a console means one. */
    static boolean stderrIsTerminal() {
        String said = System.getProperty("hav.stderr.tty");
        return said != null ? said.equals("1") : System.console() != null;
    }

    /** Starts a progress display: a bar on a terminal, plain ASCII lines on stderr otherwise. */
    static Progress start(String task, long total, boolean quiet) {
        if (quiet) {
            return NONE;
        }
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total);
        if (!stderrIsTerminal()) {
            // not a terminal: plain lines, no carriage returns or colours (docs/libraries.md)
            builder.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(5000).continuousUpdate()
                    .setConsumer(new DelegatingProgressBarConsumer(line -> System.err.println(line.trim())));
        } else {
            builder.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK);
        }
        ProgressBar bar = builder.build();
        return new Progress() {
            @Override
            public void step(long done) {
                bar.stepTo(done);
            }

            @Override
            public void message(String text) {
                bar.setExtraMessage(text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
