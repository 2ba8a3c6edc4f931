package org.hiddenactivity.core;

/**
 * The one sanitiser for text from files (tensor, class, file and folder names, manifest strings, onnxruntime's
 * messages) on its way to a terminal or a log: control characters cannot move the cursor, clear the screen, set the
 * window title or split a line.
 */
public final class TerminalText {
    private TerminalText() {}

    /**
     * {@code text} with every control character (C0, DEL, C1), line or paragraph separator and bidirectional
     * override escaped as {@code \}{@code uXXXX} ({@code \n}, {@code \r}, {@code \t} by name); null stays "null".
     */
    public static String safe(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = escape(c);
            if (escaped != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (escaped != null) {
                    sb.append(escaped);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** True when {@code text} holds a character {@link #safe} would escape. */
    public static boolean hasControl(String text) {
        for (int i = 0; text != null && i < text.length(); i++) {
            if (escape(text.charAt(i)) != null) {
                return true;
            }
        }
        return false;
    }

    private static String escape(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e'
                || c == '\u200f' || c == '\u061c';
        return control ? String.format("\\u%04x", (int) c) : null;
    }
}
