package org.hiddenactivity.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one sink for what the engine tells the user besides its results: warnings (something was assumed or
 * adjusted) and notices (what it is doing: a download, a fallback). Stages call {@link #warn} / {@link #notice};
 * the CLI decides where the lines go (stderr by default), and tests or the report {@link #record} them without
 * touching {@code System.err}.
 */
public final class Warnings {
    /** One message and its kind. */
    public record Message(Kind kind, String text) {
        @Override
        public String toString() {
            return (kind == Kind.WARNING ? "hav: warning: " : "hav: ") + text;
        }
    }

    public enum Kind { WARNING, NOTICE }

    private static final Consumer<Message> STDERR = m -> System.err.println(TerminalText.safe(m.toString()));
    private static volatile Consumer<Message> printer = STDERR;
    private static final List<Recorder> RECORDERS = new CopyOnWriteArrayList<>();
    private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
    /** The run this thread works for (not inherited: a pooled thread outlives the run that started it). */
    private static final ThreadLocal<Scope> SCOPE = new ThreadLocal<>();

    private Warnings() {}

    /** Something was assumed, adjusted or left out: the user should know, the result is still produced. */
    public static void warn(String text) {
        emit(new Message(Kind.WARNING, text));
    }

    /** Like {@link #warn}, but only the first time {@code key} is seen in this process (a repeated assumption). */
    public static void warnOnce(String key, String text) {
        Scope s = SCOPE.get();
        if ((s == null ? ONCE : s.once).add(key)) {
            warn(text);
        }
    }

    /** What the engine is doing (a download, a fallback to another backend): informative, not a problem. */
    public static void notice(String text) {
        emit(new Message(Kind.NOTICE, text));
    }

    private static void emit(Message m) {
        Scope from = SCOPE.get();
        for (Recorder r : RECORDERS) {
            if (r.scope == null || from == null || from.within(r.scope)) {
                r.add(m);
            }
        }
        printer.accept(m);
    }

    /** Where messages are printed (null: stderr); the CLI silences them with {@code m -> {}} under --quiet. */
    public static void printTo(Consumer<Message> sink) {
        printer = sink == null ? STDERR : sink;
    }

    /** Forgets which {@link #warnOnce} keys were seen (one CLI run = one process; tests run many in one JVM). */
    public static void resetOnce() {
        ONCE.clear();
    }

    /**
     * Marks this thread as working for one run until closed (scopes nest): a recorder opened inside gets the run's
     * own messages and those of threads outside any scope, not those of another run's thread, and
     * {@link #warnOnce} counts per scope. Several runs in one JVM (a Spark executor) so keep their warnings apart.
     */
    public static Scope scope() {
        Scope s = new Scope(SCOPE.get());
        SCOPE.set(s);
        return s;
    }

    /** One run's scope; {@link #close} returns the thread to the enclosing one. */
    public static final class Scope implements AutoCloseable {
        private final Scope parent;
        private final Set<String> once = ConcurrentHashMap.newKeySet();

        private Scope(Scope parent) {
            this.parent = parent;
        }

        private boolean within(Scope other) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s == other) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            if (SCOPE.get() == this) {
                SCOPE.set(parent);
            }
        }
    }

    /**
     * Starts recording until the recorder is closed: every message from any thread, or, when opened inside a
     * {@link #scope}, the messages of that scope and of threads outside any scope.
     */
    public static Recorder record() {
        Recorder r = new Recorder(SCOPE.get());
        RECORDERS.add(r);
        return r;
    }

    /** The messages emitted while it was open, in order. */
    public static final class Recorder implements AutoCloseable {
        private final List<Message> messages = new ArrayList<>();
        private final Scope scope;

        private Recorder(Scope scope) {
            this.scope = scope;
        }

        private synchronized void add(Message m) {
            messages.add(m);
        }

        public synchronized List<Message> messages() {
            return List.copyOf(messages);
        }

        /** Texts of the warnings only. */
        public synchronized List<String> warnings() {
            return messages.stream().filter(m -> m.kind() == Kind.WARNING).map(Message::text).toList();
        }

        /** True when some warning contains {@code fragment}. */
        public boolean warned(String fragment) {
            return warnings().stream().anyMatch(w -> w.contains(fragment));
        }

        @Override
        public void close() {
            RECORDERS.remove(this);
        }
    }
}
