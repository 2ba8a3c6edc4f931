package org.hiddenactivity.core;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean ...?": the known word nearest to a mistyped one, by edit distance. */
public final class Suggest {
    private Suggest() {}

    /**
     * The candidate closest to {@code typed} (case-insensitive Levenshtein distance), or null when none is close:
     * at most a third of the longer word's letters may differ (so "reprot" finds "report", "xyz" finds nothing),
     * or the candidate contains what was typed ("fashion" finds "fashion-mnist").
     */
    public static String nearest(String typed, Collection<String> candidates) {
        if (typed == null || typed.isEmpty()) {
            return null;
        }
        String t = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            int d = distance(t, lc);
            boolean near = d <= Math.max(1, Math.max(t.length(), lc.length()) / 3)
                    || (t.length() >= 3 && lc.contains(t));
            if (near && d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /** " (did you mean X?)" or "" when nothing is close. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        String n = nearest(typed, candidates);
        return n == null ? "" : "did you mean " + n + "? ";
    }

    /** Levenshtein distance, with a transposition of neighbours counted as one edit ("reprot" -> "report"). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
