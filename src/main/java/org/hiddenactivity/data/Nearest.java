package org.hiddenactivity.data;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean": the known name closest to what was typed, by edit distance. */
final class Nearest {
    private Nearest() {}

    /**
     * The candidate closest to {@code typed} (case-insensitive) among those within a few edits (half the
     * candidate's length, at least 2) or containing it ("fashion" for "fashion-mnist"); null when none is.
     */
    static String to(String typed, Collection<String> candidates) {
        String t = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            int d = distance(t, lc);
            boolean near = d <= Math.max(2, lc.length() / 2) || (t.length() >= 3 && lc.contains(t));
            if (near && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance (written here: 15 lines, not worth a dependency such as commons-text). */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
