package org.hiddenactivity.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the header of a .npy file: the Python literal {@code {'descr': '<f4', 'fortran_order': False, 'shape':
 * (2, 3), }} followed by spaces and a newline. Only that grammar is accepted (strings without escapes, True/False,
 * tuples of integers, with Python 2's {@code 200L} suffix as numpy itself still reads it); the keys must be exactly
 * those three, as numpy requires. Written by hand because it is 100 lines and must never evaluate anything.
 */
final class NpyHeaderParser {
    /** The three fields of a header. */
    record Dict(String descr, boolean fortranOrder, long[] shape) {}

    private static final String FIX = "the header is not one numpy.save writes; write the file again with numpy.save";
    private final String text;
    private final String file;
    private int pos;

    private NpyHeaderParser(String text, String file) {
        this.text = text;
        this.file = file;
    }

    static Dict parse(String header, String file) {
        return new NpyHeaderParser(header, file).dict();
    }

    private Dict dict() {
        String descr = null;
        Boolean fortran = null;
        long[] shape = null;
        skipSpace();
        expect('{');
        while (true) {
            skipSpace();
            if (peek() == '}') {
                pos++;
                break;
            }
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            switch (key) {
                case "descr" -> {
                    if (descr != null) {
                        fail("key 'descr' appears twice");
                    }
                    if (peek() == '[') {
                        fail("structured dtype (a list of fields) in 'descr'; only plain numeric arrays are read");
                    }
                    descr = string();
                }
                case "fortran_order" -> {
                    if (fortran != null) {
                        fail("key 'fortran_order' appears twice");
                    }
                    fortran = bool();
                }
                case "shape" -> {
                    if (shape != null) {
                        fail("key 'shape' appears twice");
                    }
                    shape = tuple();
                }
                default -> fail("unexpected key '" + key + "' (a .npy header has exactly descr, fortran_order, shape)");
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != '}') {
                fail("expected ',' or '}' at character " + pos);
            }
        }
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\0') {
                fail("unexpected text after the header dictionary at character " + (pos - 1));
            }
        }
        if (descr == null || fortran == null || shape == null) {
            fail("missing key " + (descr == null ? "'descr'" : fortran == null ? "'fortran_order'" : "'shape'"));
        }
        return new Dict(descr, fortran, shape);
    }

    private String string() {
        char quote = peek();
        if (quote != '\'' && quote != '"') {
            fail("expected a quoted string at character " + pos);
        }
        int start = ++pos;
        while (pos < text.length() && text.charAt(pos) != quote) {
            char c = text.charAt(pos);
            if (c == '\\' || c < 0x20 || c > 0x7e) {
                fail("unexpected character in a string at character " + pos);
            }
            pos++;
        }
        if (pos >= text.length()) {
            fail("unterminated string");
        }
        return text.substring(start, pos++);
    }

    private boolean bool() {
        if (text.startsWith("True", pos)) {
            pos += 4;
            return true;
        }
        if (text.startsWith("False", pos)) {
            pos += 5;
            return false;
        }
        fail("'fortran_order' must be True or False");
        return false;
    }

    private long[] tuple() {
        expect('(');
        List<Long> dims = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek() == ')') {
                pos++;
                break;
            }
            dims.add(integer());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != ')') {
                fail("expected ',' or ')' in the shape at character " + pos);
            }
            if (dims.size() > Npy.MAX_RANK) {
                fail("more than " + Npy.MAX_RANK + " dimensions");
            }
        }
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i);
        }
        return out;
    }

    private long integer() {
        int start = pos;
        if (peek() == '-' || peek() == '+') {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 0x80) {
            pos++;
        }
        if (pos == digits) {
            fail("expected an integer in the shape at character " + start);
        }
        String number = text.substring(start, pos);
        if (peek() == 'L' || peek() == 'l') {
            pos++; // Python 2 long literal, written by numpy under Python 2
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new HavException(file, "dimension " + number + " in the shape does not fit in 64 bits", FIX);
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            fail("expected '" + c + "' at character " + pos);
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\u0000';
    }

    private void skipSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t' || text.charAt(pos) == '\n'
                || text.charAt(pos) == '\r')) {
            pos++;
        }
    }

    private void fail(String problem) {
        String shown = text.strip();
        if (shown.length() > 120) {
            shown = shown.substring(0, 120) + "...";
        }
        StringBuilder printable = new StringBuilder();
        shown.codePoints().forEach(c -> printable.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : "?"));
        throw new HavException(file, "unreadable .npy header: " + problem + " (header: " + printable + ")", FIX);
    }
}
